import { Rng } from '@growset/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossValidate, initBackend, search } from '../src/index.ts';
import { blobs } from './helpers/data.ts';

beforeAll(async () => {
  await initBackend();
});

const data = blobs(90, 4, 3, 'tuning', 1.3);

describe('tuning', () => {
  it('cross-validates with stratified folds and averages the fold metrics', async () => {
    const cv = await crossValidate({ model: 'knn', k: 5 }, data, { folds: 3, rng: Rng.create(1) });
    expect(cv.folds).toHaveLength(3);
    const mean = cv.folds.reduce((s, m) => s + m.accuracy, 0) / 3;
    expect(cv.mean.accuracy).toBeCloseTo(mean, 12);
  });

  it('grid search ranks every combination as named records, best first', async () => {
    const result = await search(
      data,
      { base: { model: 'knn' }, space: { k: [1, 15], weights: ['uniform', 'distance'] }, folds: 3 },
      { rng: Rng.create(2) },
    );
    expect(result.ranked).toHaveLength(4);
    expect(result.ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    const scores = result.ranked.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(result.best.name).toMatch(/^k=\d+ weights="(uniform|distance)"$/);
    expect(result.best.spec).toMatchObject({ model: 'knn', ...result.best.params });
    expect(result.best.foldScores).toHaveLength(3);
  });

  it('random search draws from distributions reproducibly and can rank by log loss', async () => {
    const options = {
      base: { model: 'logistic', epochs: 5 },
      space: { learningRate: { logUniform: [0.001, 0.3] as [number, number] }, l2: [0, 0.01] },
      strategy: 'random' as const,
      candidates: 3,
      folds: 2,
      metric: 'logLoss' as const,
    };
    const a = await search(data, options, { rng: Rng.create(3) });
    const b = await search(data, options, { rng: Rng.create(3) });
    expect(a.ranked.map((r) => [r.name, r.score])).toEqual(b.ranked.map((r) => [r.name, r.score]));
    expect(a.ranked[0]!.score).toBeLessThanOrEqual(a.ranked[2]!.score);
    for (const r of a.ranked) {
      const lr = r.params.learningRate as number;
      expect(lr).toBeGreaterThanOrEqual(0.001);
      expect(lr).toBeLessThanOrEqual(0.3);
    }
  });

  it('successive halving gives survivors more training samples each round', async () => {
    const trials: { name: string; resource?: number }[] = [];
    const result = await search(
      data,
      {
        base: { model: 'knn' },
        space: { k: [1, 3, 5, 9, 15, 25, 40, 60, 80] },
        strategy: 'halving',
        factor: 3,
        folds: 3,
      },
      {
        rng: Rng.create(4),
        onTrial: (r) =>
          trials.push({ name: r.name, ...(r.resource !== undefined ? { resource: r.resource } : {}) }),
      },
    );
    const rounds = [...new Set(trials.map((t) => t.resource))];
    expect(rounds.length).toBeGreaterThan(1);
    expect(rounds).toEqual([...rounds].sort((a, b) => a! - b!));
    expect(trials.filter((t) => t.resource === rounds[0]).length).toBe(9);
    expect(result.ranked).toHaveLength(9);
    expect(result.best.round).toBe(rounds.length - 1);
  });

  it('records a failing candidate with its error instead of stopping the search', async () => {
    const tiny = blobs(9, 2, 3, 'tiny');
    // With 3 folds each training part has 6 samples; k=40 > samples still works, but a cnn on flat features fails.
    const result = await search(tiny, {
      base: { model: 'mlp', epochs: 1 },
      space: { model: ['mlp', 'cnn'] },
      folds: 3,
    });
    const failed = result.ranked.find((r) => r.params.model === 'cnn')!;
    expect(failed.error).toMatch(/needs image features/);
    expect(Number.isNaN(failed.score)).toBe(true);
    expect(result.best.params.model).toBe('mlp');
  });

  it('rejects a misspelt spec field before training anything', async () => {
    await expect(search(data, { base: { model: 'mlp' }, space: { hiden: [[4]] } })).rejects.toThrow(
      /did you mean `hidden`/,
    );
  });
});
