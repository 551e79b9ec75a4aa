// Study wall time with 1 and with 2 worker threads on the same study, in the same process, and
// trials per minute. The trials are real: MLPs from @growset/train on real MNIST digits. Two
// studies: a short one (about 15 s on one worker) and a longer one (about a minute), because each
// worker has a fixed cost (starting the thread, loading the sources and tfjs, and V8 compiling the
// hot code of tfjs and growset on background threads, which a single worker gets for free from
// the idle core) that a short study cannot amortize.
// `npm run bench -- --short` runs only the short one.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { loadMnist } from '@growset/fixtures';
import {
  DIGITS_RECIPE,
  runStudy,
  type StudyData,
  type StudyOptions,
  standardVariants,
  studyDataFromSamples,
  type TrialRecord,
} from '../src/index.ts';

const base = {
  model: 'mlp',
  hidden: [64],
  epochs: 30,
  batchSize: 32,
  learningRate: 0.005,
  earlyStopping: { patience: 5 },
};
const variants = standardVariants(['baseline', 'l2', 'dropout', 'augment', 'bagging', 'knn'], {
  task: 'image',
  base,
  recipe: DIGITS_RECIPE,
  copies: 2,
  ensembleSize: 3,
});

interface BenchStudy {
  label: string;
  data: StudyData;
  options: StudyOptions;
}

const studies: BenchStudy[] = [
  {
    // The study of `growset run pipelines/digits --quick` with one more size: six variants
    // (augmentation and bagging included), four sizes, two seeds: 48 trials of 0.1 to 2 s.
    label: 'short',
    data: (await studyDataFromSamples(await loadMnist({ perClass: 80 }), { name: 'mnist-800' })).data,
    options: {
      name: 'bench-short',
      testSize: 150,
      trainSizes: [50, 100, 200, 400],
      seeds: 2,
      variants,
      bootstrapRounds: 50,
    },
  },
];
if (!process.argv.includes('--short'))
  studies.push({
    // The same variants on 2,000 digits, five sizes up to 1,600, three seeds: 90 trials.
    label: 'longer',
    data: (await studyDataFromSamples(await loadMnist({ perClass: 200 }), { name: 'mnist-2000' })).data,
    options: {
      name: 'bench-longer',
      testSize: 400,
      trainSizes: [100, 200, 400, 800, 1600],
      seeds: 3,
      variants,
      bootstrapRounds: 50,
    },
  });

/** CPU seconds of this process's threads, by thread id (Linux: /proc/self/task). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    }
  } catch {
    // Not Linux, or a thread ended while being read: the split is then not printed.
  }
  return out;
}

const strip = (t: TrialRecord) => {
  const { wallTimeMs: _w, samplesPerSecond: _s, history: _h, ...rest } = t;
  return rest;
};

interface Run {
  workers: number;
  ms: number;
  cpuCores: number;
  /** CPU seconds of the worker threads: more with 2 workers than with 1 means they slowed each other. */
  workerCpu: number;
  trials: TrialRecord[];
}

async function timed(study: BenchStudy, workers: number): Promise<Run> {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const results = await runStudy(study.data, { ...study.options, workers });
  const cpu = process.cpuUsage(cpu0);
  const ms = performance.now() - started;
  return { workers, ms, cpuCores: (cpu.user + cpu.system) / 1000 / ms, workerCpu: 0, trials: results.trials };
}

console.log(
  `${availableParallelism()} cores; ${variants.length} variants (${variants.map((v) => v.name).join(', ')})`,
);
for (const study of studies) {
  const o = study.options;
  console.log(
    `\n${study.label}: ${study.data.ids.length} real digits, sizes ${o.trainSizes!.join(', ')}, ${o.seeds} seeds`,
  );
  // Alternate to spread machine noise; the best of two runs each.
  const runs: Run[] = [];
  for (const workers of [1, 2, 1, 2]) {
    const before = threadCpu();
    const run = await timed(study, workers);
    const after = threadCpu();
    // Threads that lived through the run and outlive it: the main thread and V8's platform
    // threads (background compilation and GC). Worker threads have ended by now.
    const persistent = [...after].filter(([tid]) => before.has(tid) && tid !== String(process.pid));
    const background = persistent.reduce((s, [tid, v]) => s + v - before.get(tid)!, 0);
    const main = (after.get(String(process.pid)) ?? 0) - (before.get(String(process.pid)) ?? 0);
    run.workerCpu = run.cpuCores * (run.ms / 1000) - main - background;
    console.log(
      `  ${workers} worker(s): ${(run.ms / 1000).toFixed(1)} s, ${run.cpuCores.toFixed(2)} cores busy; CPU s: main thread ${main.toFixed(1)}, V8 background threads ${background.toFixed(1)}, worker threads ${run.workerCpu.toFixed(1)}`,
    );
    runs.push(run);
  }
  const best = (w: number) => Math.min(...runs.filter((r) => r.workers === w).map((r) => r.ms));
  const one = best(1);
  const two = best(2);
  const trials = runs[0]!.trials.length;
  const same = JSON.stringify(runs[0]!.trials.map(strip)) === JSON.stringify(runs[1]!.trials.map(strip));
  console.log(`| workers | wall time (best of 2) | trials/min |`);
  console.log(`| ---: | ---: | ---: |`);
  console.log(`| 1 | ${(one / 1000).toFixed(1)} s | ${((60_000 * trials) / one).toFixed(0)} |`);
  console.log(`| 2 | ${(two / 1000).toFixed(1)} s | ${((60_000 * trials) / two).toFixed(0)} |`);
  console.log(
    `${study.label}, ${trials} trials: speed-up 2 vs 1 workers ${(one / two).toFixed(2)}x (target >= 1.8x); identical trials: ${same}`,
  );
  // The same trials cost the worker threads this much more CPU when two ran side by side: the
  // cores slowing each other down (shared caches, a busy host), which no scheduling can win back.
  const cpu = (w: number) => runs.filter((r) => r.workers === w).map((r) => r.workerCpu);
  console.log(
    `  worker CPU with 2 workers / with 1: ${cpu(2)
      .map((c, i) => (c / cpu(1)[i]!).toFixed(2))
      .join(' and ')} (1.00: the two cores did not slow each other)`,
  );
}
