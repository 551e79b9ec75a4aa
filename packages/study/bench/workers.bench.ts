// Study wall time with 1 and with 2 worker threads on the same study, in the same process, and
// trials per minute. The trials are real: MLPs from @growset/train on real MNIST digits.
import { availableParallelism } from 'node:os';
import { loadMnist } from '@growset/fixtures';
import {
  DIGITS_RECIPE,
  runStudy,
  type StudyOptions,
  standardVariants,
  studyDataFromSamples,
  type TrialRecord,
} from '../src/index.ts';

// The study of `growset run pipelines/digits --quick` with one more size: 800 real digits, six variants
// (augmentation and bagging included), four sizes, two seeds: 48 trials of 0.3 to 5 s.
const { data } = await studyDataFromSamples(await loadMnist({ perClass: 80 }), { name: 'mnist-800' });
const base = {
  model: 'mlp',
  hidden: [64],
  epochs: 30,
  batchSize: 32,
  learningRate: 0.005,
  earlyStopping: { patience: 5 },
};
const options: StudyOptions = {
  name: 'bench',
  testSize: 150,
  trainSizes: [50, 100, 200, 400],
  seeds: 2,
  variants: standardVariants(['baseline', 'l2', 'dropout', 'augment', 'bagging', 'knn'], {
    task: 'image',
    base,
    recipe: DIGITS_RECIPE,
    copies: 2,
    ensembleSize: 3,
  }),
  bootstrapRounds: 50,
};

const strip = (t: TrialRecord) => {
  const { wallTimeMs: _w, samplesPerSecond: _s, history: _h, ...rest } = t;
  return rest;
};

async function timed(workers: number) {
  const started = performance.now();
  const results = await runStudy(data, { ...options, workers });
  return { workers, ms: performance.now() - started, results };
}

console.log(
  `${availableParallelism()} cores; ${options.variants.length} variants x ${options.trainSizes!.length} sizes x 2 seeds on ${data.ids.length} real digits`,
);
// Alternate to spread machine noise; the best of two runs each.
const runs = [await timed(1), await timed(2), await timed(1), await timed(2)];
const best = (w: number) => Math.min(...runs.filter((r) => r.workers === w).map((r) => r.ms));
const one = best(1);
const two = best(2);
const trials = runs[0]!.results.trials.length;
const same =
  JSON.stringify(runs[0]!.results.trials.map(strip)) === JSON.stringify(runs[1]!.results.trials.map(strip));
console.log(`| workers | wall time (best of 2) | trials/min |`);
console.log(`| ---: | ---: | ---: |`);
console.log(`| 1 | ${(one / 1000).toFixed(1)} s | ${((60_000 * trials) / one).toFixed(0)} |`);
console.log(`| 2 | ${(two / 1000).toFixed(1)} s | ${((60_000 * trials) / two).toFixed(0)} |`);
console.log(
  `speed-up 2 vs 1 workers: ${(one / two).toFixed(2)}x (target >= 1.8x); identical trials: ${same}`,
);
