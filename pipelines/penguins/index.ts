import { join } from 'node:path';
import {
  cleaningSummary,
  dedupeRows,
  fromRows,
  inferSchema,
  normalizeLabels,
  summaryToJson,
  validate,
} from '@growset/clean';
import { definePipeline, type JsonObject, pipeline, type Sample, type TabularSample } from '@growset/core';
import { loadVegaDataset } from '@growset/fixtures';
import { runStudyJob, studyJobSummary } from '@growset/report';
import { standardVariants, studyDataFromSamples } from '@growset/study';

/**
 * The real penguins table of `vega-datasets` (344 rows, with missing values and a `.` for sex):
 * cleaned (invalid cells quarantined with their row and column, duplicates dropped, labels
 * normalized), then a study of tabular augmentation (SMOTE-NC, noise, mixup) against L2, dropout,
 * ensembles and simple baselines. Missing numbers are filled inside each trial from its training
 * rows only, so the test rows never inform the fill.
 */
export default definePipeline({
  name: 'penguins',
  description: 'penguins table: clean, then SMOTE/noise/mixup vs L2/dropout vs ensembles and baselines',
  async run(ctx) {
    const quick = ctx.quick;
    const rows = await loadVegaDataset('penguins');
    const source = fromRows(rows, {
      label: 'Species',
      idPrefix: 'penguins#',
      file: 'vega-datasets/data/penguins.json',
    });
    const schema = inferSchema(
      rows.map((r) => {
        const { Species: _label, ...values } = r;
        return values;
      }),
    ).schema;
    const stages = [validate(schema), normalizeLabels<TabularSample['payload']>(), dedupeRows()];
    const { items, summary } = await pipeline(source, stages[0]!, stages[1]!, stages[2]!).collect({
      name: 'clean',
      seed: ctx.seed,
      signal: ctx.signal,
      logger: ctx.logger,
      onProgress: ctx.onProgress,
      quarantine: join(ctx.out, 'quarantine'),
    });
    const cleaning = summaryToJson(cleaningSummary(summary, [source, ...stages]));
    const { data } = await studyDataFromSamples(items as Sample<unknown>[], { name: 'penguins' });
    const base = {
      model: 'mlp',
      hidden: [16],
      epochs: quick ? 40 : 120,
      batchSize: 16,
      learningRate: 0.01,
      earlyStopping: { patience: 8 },
    };
    const variants = standardVariants(
      quick
        ? ['baseline', 'smote', 'noise', 'mixup', 'l2', 'knn', 'majority']
        : [
            'baseline',
            'smote',
            'noise',
            'mixup',
            'l2',
            'dropout',
            'bagging',
            'boosting',
            'stacking',
            'logistic',
            'knn',
            'majority',
          ],
      { task: 'tabular', base, categorical: true, ensembleSize: 5 },
    );
    const quarantine = Object.entries(summary.stages).flatMap(([, s]) =>
      Object.entries(s.quarantinedBy).map(
        ([reason, count]) => ({ stage: s.stage, reason, count }) as JsonObject,
      ),
    );
    const job = await runStudyJob(
      data,
      {
        name: quick ? 'penguins (quick)' : 'penguins',
        out: join(ctx.out, 'study'),
        testSize: 0.25,
        trainSizes: quick ? [20, 50, 120] : [15, 30, 60, 120, 250],
        seeds: quick ? 2 : 5,
        studySeed: ctx.seed,
        variants,
        targetAccuracy: 0.99,
        context: { cleaning, quarantine },
      },
      { signal: ctx.signal, logger: ctx.logger, onProgress: ctx.onProgress },
    );
    const cleaned = `Cleaned ${summary.stages[0]!.in} penguin rows: ${items.length} kept, ${summary.quarantined} quarantined, ${summary.filtered} filtered (details in ${join(ctx.out, 'quarantine', 'quarantine.jsonl')}).`;
    return {
      summary: studyJobSummary(job, {
        rows: summary.stages[0]!.in,
        kept: items.length,
        quarantined: summary.quarantined,
        filtered: summary.filtered,
      }),
      text: `${cleaned}\n\n${job.text}`,
      runs: [summary],
    };
  },
});
