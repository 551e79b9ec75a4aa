import { loadMnist } from '@growset/fixtures';
import {
  runStudy,
  SpareThreads,
  type StudyOptions,
  studyDataFromSamples,
  type TrialRecord,
  type TrialRunner,
  TrialThreads,
} from '@growset/study';
import { describe, expect, it } from 'vitest';

/**
 * A queue worker starts its trial threads before it knows its study (SpareThreads: they load tfjs
 * while no job is held) and hands them the study's setup later. A trial must give the same record
 * on such a thread as on a thread started with the setup, and as in the calling thread.
 */
const comparable = (t: TrialRecord) => {
  const { wallTimeMs: _w, samplesPerSecond: _s, history, ...rest } = t;
  return { ...rest, losses: history?.map((h) => h.loss) };
};

describe('SpareThreads', () => {
  it('runs trials with the same records as a study run in this thread (one spare, one cold thread)', async () => {
    const { data } = await studyDataFromSamples(await loadMnist({ perClass: 12 }), { name: 'mnist-120' });
    const mlp = { model: 'mlp', hidden: [16], epochs: 4, batchSize: 16, learningRate: 0.01 };
    const options: StudyOptions = {
      name: 'spares',
      testSize: 40,
      trainSizes: [30, 60],
      seeds: 2,
      variants: [
        { name: 'mlp', model: mlp, baseline: true },
        { name: 'l2', model: { ...mlp, l2: 1e-3 } },
      ],
      bootstrapRounds: 10,
    };
    const spares = new SpareThreads(1);
    await spares.ready;
    const runner: TrialRunner = async (tasks, setup, pool) => {
      const threads = new TrialThreads(setup, 2, { spares });
      try {
        await Promise.all(
          tasks.map(async (task) => {
            await pool.onResult(await threads.run(task));
          }),
        );
      } finally {
        await threads.close();
      }
    };
    const local = await runStudy(data, { ...options, workers: 0 });
    const spared = await runStudy(data, options, { runner });
    expect(spares.take()).toBeUndefined(); // the spare went to the study
    await spares.close();
    expect(spared.trials).toHaveLength(8);
    expect(spared.trials.every((t) => t.ok)).toBe(true);
    expect(spared.trials.map(comparable)).toEqual(local.trials.map(comparable));
  }, 60_000);
});
