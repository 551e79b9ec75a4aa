import type { LabeledData, Rng } from '@growset/core';
import { indicesByClass, subset } from './subset.ts';

/**
 * A stratified split: about `fraction` of each class goes to the held-out part (at least one
 * sample of a class with two or more), the rest to the training part. Order within each part
 * follows the original order.
 */
export function stratifiedSplit(
  data: LabeledData,
  fraction: number,
  rng: Rng,
): { train: LabeledData; test: LabeledData } {
  const held: number[] = [];
  const kept: number[] = [];
  indicesByClass(data.y, data.classes.length).forEach((members, c) => {
    const shuffled = rng.fork(`class-${c}`).shuffle(members);
    let count = Math.round(members.length * fraction);
    if (count === 0 && members.length >= 2 && fraction > 0) count = 1;
    if (count >= members.length && members.length > 0) count = members.length - 1;
    held.push(...shuffled.slice(0, count));
    kept.push(...shuffled.slice(count));
  });
  held.sort((a, b) => a - b);
  kept.sort((a, b) => a - b);
  return { train: subset(data, kept), test: subset(data, held) };
}

/** Stratified k-fold assignment: `fold[i]` in `[0, k)`, classes spread evenly over the folds. */
export function stratifiedFolds(y: Int32Array, classes: number, k: number, rng: Rng): Int32Array {
  const fold = new Int32Array(y.length);
  let offset = 0;
  indicesByClass(y, classes).forEach((members, c) => {
    const shuffled = rng.fork(`fold-class-${c}`).shuffle(members);
    shuffled.forEach((index, j) => {
      fold[index] = (j + offset) % k;
    });
    // Rotate so that small classes do not all land in fold 0.
    offset = (offset + shuffled.length) % k;
  });
  return fold;
}

/** Rows of fold `f` (test) and the others (train). */
export function foldIndices(fold: Int32Array, f: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < fold.length; i++) (fold[i] === f ? test : train).push(i);
  return { train, test };
}
