import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type JsonObject, Rng } from '@growset/core';
import sharp from 'sharp';
import type {
  CurveFit,
  DataEquivalent,
  SizeSummary,
  Spread,
  StudyResults,
  TrialRecord,
  VariantSpec,
  VariantSummary,
} from '../../src/index.ts';

/**
 * Realistic study results, computed the way a study computes them: every variant's true error
 * follows a power law err(n) = a*n^-b + c; each trial draws its accuracy around it with seeded
 * noise; summaries, curve fits, data equivalents and projections are derived from those trials.
 */
export interface SyntheticStudyOptions {
  sizes?: number[];
  seeds?: number[];
  /** Extra variants beyond the four standard ones, for bigger studies (benchmarks). */
  extraVariants?: number;
  /** The trial that fails (`variant/size/seed`), or `null` for none. @default 'augment/800/2' */
  failedTrial?: string | null;
  targetAccuracy?: number | null;
  /** Where to make gallery PNGs (with sharp); no gallery when absent. */
  galleryDir?: string;
}

interface Law {
  a: number;
  b: number;
  c: number;
  /** Train-test gap at n=1, decaying as n^-0.35. */
  gap: number;
}

const STANDARD: { spec: VariantSpec; law: Law }[] = [
  {
    spec: {
      name: 'baseline',
      description: 'MLP 64-32, no regularization',
      model: { type: 'mlp', hidden: [64, 32], epochs: 40 },
      baseline: true,
    },
    law: { a: 2.6, b: 0.5, c: 0.04, gap: 1.4 },
  },
  {
    spec: {
      name: 'l2',
      description: 'L2 weight penalty 1e-3',
      model: { type: 'mlp', hidden: [64, 32], epochs: 40, l2: 0.001 },
    },
    law: { a: 2.3, b: 0.5, c: 0.04, gap: 0.9 },
  },
  {
    spec: {
      name: 'dropout',
      description: 'Dropout 0.3 after each hidden layer',
      model: { type: 'mlp', hidden: [64, 32], epochs: 40, dropout: 0.3 },
    },
    law: { a: 2.1, b: 0.5, c: 0.04, gap: 0.7 },
  },
  {
    spec: {
      name: 'augment',
      description: 'Affine + elastic augmentation, 4 copies per original',
      model: { type: 'mlp', hidden: [64, 32], epochs: 40 },
      augment: {
        kind: 'image',
        recipe: { type: 'compose', transforms: [{ type: 'affine', rotate: 10 }, { type: 'elastic' }] },
        copies: 4,
      },
    },
    law: { a: 1.5, b: 0.52, c: 0.035, gap: 0.5 },
  },
];

const err = (law: Law, n: number) => law.a * n ** -law.b + law.c;

function spread(values: number[]): Spread {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, ci95: [Number.NaN, Number.NaN], n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const t = [12.706, 4.303, 3.182, 2.776, 2.571][n - 2] ?? 2.262;
  const half = n > 1 ? (t * std) / Math.sqrt(n) : 0;
  return { mean, std, ci95: [mean - half, mean + half], n };
}

export async function syntheticStudy(options: SyntheticStudyOptions = {}): Promise<StudyResults> {
  const sizes = options.sizes ?? [50, 100, 200, 400, 800];
  const seeds = options.seeds ?? [1, 2, 3];
  const failedKey = options.failedTrial === undefined ? 'augment/800/2' : options.failedTrial;
  const target = options.targetAccuracy === undefined ? 0.9 : options.targetAccuracy;
  const variants = [...STANDARD];
  for (let i = 0; i < (options.extraVariants ?? 0); i++) {
    variants.push({
      spec: {
        name: `tuned-${i + 1}`,
        model: { type: 'mlp', hidden: [32 + 8 * i], epochs: 40, lr: 0.001 * (i + 1) },
      },
      law: { a: 2.5 - 0.05 * i, b: 0.5, c: 0.04, gap: 1 },
    });
  }
  const rng = Rng.create('report-test-study');
  const trials: TrialRecord[] = [];
  for (const { spec, law } of variants) {
    for (const trainSize of sizes) {
      for (const seed of seeds) {
        const key = `${spec.name}/${trainSize}/${seed}`;
        const r = rng.fork(key);
        const wallTimeMs = 200 + trainSize * 1.5 + r.uniform(0, 50);
        if (key === failedKey) {
          trials.push({
            key,
            variant: spec.name,
            trainSize,
            seed,
            ok: false,
            wallTimeMs,
            backend: 'wasm',
            error: 'Worker exited with code 134: out of memory, "tensor" too large',
          });
          continue;
        }
        const test = Math.min(0.995, 1 - err(law, trainSize) + r.normal(0, 0.012));
        const train = Math.min(1, test + law.gap * trainSize ** -0.35 + r.normal(0, 0.005));
        const metrics = (accuracy: number) => ({
          accuracy,
          balancedAccuracy: accuracy - 0.004,
          macroF1: accuracy - 0.006,
          logLoss: Math.log(1 / Math.max(accuracy, 1e-6)) * 1.3,
        });
        const validationSize = Math.round(trainSize * 0.15);
        trials.push({
          key,
          variant: spec.name,
          trainSize,
          seed,
          ok: true,
          train: metrics(train),
          test: metrics(test),
          fittedSamples: (trainSize - validationSize) * (spec.augment?.kind === 'image' ? 5 : 1),
          validationSize,
          epochs: 12 + r.int(0, 20),
          stoppedEarly: true,
          history: [
            { epoch: 1, loss: 2.1, valLoss: 2.2 },
            { epoch: 2, loss: 1.4, valLoss: 1.6 },
          ],
          wallTimeMs,
          samplesPerSecond: 4000,
          backend: 'wasm',
          trainRoots: [`root-${seed}-1`, `root-${seed}-2`],
        });
      }
    }
  }

  const baselineLaw = STANDARD[0]!.law;
  const inverseBaseline = (error: number): number | null =>
    error <= baselineLaw.c ? null : (baselineLaw.a / (error - baselineLaw.c)) ** (1 / baselineLaw.b);
  const summaries: VariantSummary[] = variants.map(({ spec, law }) => {
    const sizeSummaries: SizeSummary[] = sizes.map((trainSize) => {
      const ok = trials.filter((t) => t.variant === spec.name && t.trainSize === trainSize && t.ok);
      const testAccuracy = spread(ok.map((t) => t.test!.accuracy));
      const trainAccuracy = spread(ok.map((t) => t.train!.accuracy));
      const gap = spread(ok.map((t) => t.train!.accuracy - t.test!.accuracy));
      const verdict = gap.mean > 0.08 ? 'overfits' : testAccuracy.mean < 0.7 ? 'underfits' : 'fits';
      return {
        variant: spec.name,
        trainSize,
        testAccuracy,
        trainAccuracy,
        gap,
        verdict,
        explanation:
          verdict === 'overfits'
            ? `train accuracy is ${(gap.mean * 100).toFixed(1)} points above test: the model memorizes`
            : verdict === 'underfits'
              ? 'both train and test accuracy are low: the model is too weak for this data'
              : 'train and test accuracy are close',
        failedTrials: seeds.length - ok.length,
      };
    });
    const curve: CurveFit = {
      a: law.a,
      b: law.b,
      c: law.c,
      rmse: 0.004,
      interval: {
        a: [law.a * 0.9, law.a * 1.1],
        b: [law.b - 0.03, law.b + 0.03],
        c: [law.c - 0.01, law.c + 0.01],
      },
      extrapolation: [1600, 3200, 6400].map((n) => {
        const accuracy = 1 - err(law, n);
        return { trainSize: n, accuracy, low: accuracy - 0.01 * Math.log2(n / 800), high: accuracy + 0.006 };
      }),
    };
    const dataEquivalents: DataEquivalent[] = spec.baseline
      ? []
      : sizeSummaries.map((s) => {
          const equivalent = inverseBaseline(1 - s.testAccuracy.mean);
          const worth = equivalent === null ? null : equivalent / s.trainSize;
          return {
            variant: spec.name,
            trainSize: s.trainSize,
            equivalentBaselineSize: equivalent === null ? null : Math.round(equivalent),
            worth,
            sentence:
              equivalent === null || worth === null
                ? `${spec.name} at n=${s.trainSize} is beyond what the baseline reaches on its curve`
                : `${spec.name} at n=${s.trainSize} matches the baseline at n=${Math.round(equivalent)}: worth ${worth.toFixed(1)}x data`,
          };
        });
    const remaining = target === null ? 0 : 1 - target - law.c;
    return {
      variant: spec.name,
      description: spec.description,
      sizes: sizeSummaries,
      curve,
      dataEquivalents,
      projectedSizeForTarget:
        target === null || remaining <= 0 ? null : Math.round((law.a / remaining) ** (1 / law.b)),
    };
  });

  const context: JsonObject = {
    cleaning: {
      rowsIn: 1240,
      rowsOut: 1198,
      imputed: { bill_length_mm: 2, sex: 11 },
      deduplicated: 31,
      dropped: [
        { column: 'flipper_length_mm', reason: 'not a number', count: 4 },
        { column: 'species', reason: 'unknown class', count: 7 },
      ],
    },
    quarantine: [
      { stage: 'decode-image', reason: 'undecodable image', count: 3 },
      { stage: 'check-size', reason: 'image too small', count: 5 },
    ],
    scrape: {
      engine: 'browser',
      pagesVisited: 48,
      itemsFound: 1240,
      robotsDenied: 2,
      errorsByStatus: { '404': 3, '503': 1 },
      startUrl: 'http://127.0.0.1:4173/catalog/',
    },
  };
  if (options.galleryDir) context.gallery = await makeGallery(options.galleryDir);

  return {
    schemaVersion: 1,
    name: 'digits-test',
    createdBy: '@growset/study 0.1.0',
    config: {
      dataset: 'mnist (10,000 digits)',
      task: 'image',
      classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      originals: 10000,
      testSize: 2000,
      trainSizes: sizes,
      seeds,
      studySeed: 7,
      targetAccuracy: target,
      validationFraction: 0.15,
      variants: variants.map((v) => v.spec),
      workers: 2,
    },
    versions: { growset: '0.1.0', node: 'v20.20.2', '@tensorflow/tfjs': '4.22.0', sharp: '0.35.5' },
    backend: 'wasm',
    testIds: ['mnist-00001', 'mnist-00002', 'mnist-00003'],
    trials,
    summaries,
    verdicts: [
      'augment helps most: at n=400 it matches the baseline at n=1,690, worth 4.2x data.',
      'baseline overfits below n=200: train accuracy is 20 points above test.',
      '1 trial failed (augment/800/2): see the trials table.',
    ],
    context,
    wallTimeMs: 184_000,
  };
}

/** Makes one original and three augmented PNGs per gallery entry with sharp; paths relative to `dir`. */
async function makeGallery(dir: string): Promise<JsonObject[]> {
  await mkdir(join(dir, 'gallery'), { recursive: true });
  const entries: JsonObject[] = [];
  for (const [index, hue] of [
    [0, 20],
    [1, 200],
  ] as const) {
    const original = `gallery/original-${index}.png`;
    const base = sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 240, g: 240, b: 240 } },
    }).composite([
      {
        input: Buffer.from(
          `<svg width="64" height="48"><circle cx="32" cy="24" r="16" fill="hsl(${hue},70%,45%)"/></svg>`,
        ),
      },
    ]);
    const basePng = await base.png().toBuffer();
    await sharp(basePng).toFile(join(dir, original));
    const augmented: string[] = [];
    for (let k = 0; k < 3; k++) {
      const path = `gallery/augmented-${index}-${k}.png`;
      await sharp(basePng)
        .rotate(10 * (k + 1), { background: '#fff' })
        .resize(64, 48, { fit: 'fill' })
        .png()
        .toFile(join(dir, path));
      augmented.push(path);
    }
    entries.push({ title: `Digit ${index}`, original, augmented, caption: 'rotate ±30° then resize' });
  }
  return entries;
}
