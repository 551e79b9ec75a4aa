import type { Rng } from './rng.ts';

// Stratified splits, for every package: two families that differ on purpose.
// - Class indices (`Int32Array`, as in `LabeledData.y`): `stratifiedSplitIndices` rounds each
//   class's share on its own; `stratifiedFolds` deals each class round the folds. Used by train
//   (validation split, the train job's test split, cross-validation, stacking).
// - Class names (`string[]`): `stratifiedHoldout(s)`, `nestedStratifiedOrder` and
//   `carveValidation` allocate largest-remainder quotas over the classes (sorted by name). Used
//   by study (its test sets, nested training subsets and validation carving).
// Both keep their exact draws: the same seed gives the same split as before they moved here.

/** Indices of each class, in input order: `indicesByClass(y, k)[c]` lists the samples of class `c`. */
export function indicesByClass(y: Int32Array, classes: number): number[][] {
  const out: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < y.length; i++) out[y[i]!]!.push(i);
  return out;
}

/**
 * A stratified split of class indices `y` (train's validation split and `growset train`'s test
 * split): about `fraction` of each class, rounded per class, goes to `test` (at least one sample
 * of a class with two or more, never a class's last one), the rest to `train`; each part sorted.
 * Study's test sets use {@link stratifiedHoldout} instead (largest-remainder quotas over classes).
 */
export function stratifiedSplitIndices(
  y: Int32Array,
  classes: number,
  fraction: number,
  rng: Rng,
): { train: number[]; test: number[] } {
  const held: number[] = [];
  const kept: number[] = [];
  indicesByClass(y, classes).forEach((members, c) => {
    const shuffled = rng.fork(`class-${c}`).shuffle(members);
    let count = Math.round(members.length * fraction);
    if (count === 0 && members.length >= 2 && fraction > 0) count = 1;
    if (count >= members.length && members.length > 0) count = members.length - 1;
    held.push(...shuffled.slice(0, count));
    kept.push(...shuffled.slice(count));
  });
  held.sort((a, b) => a - b);
  kept.sort((a, b) => a - b);
  return { train: kept, test: held };
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

/** Indices grouped by class, in input order. */
function byClass(labels: readonly string[], indices: readonly number[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const i of indices) {
    const label = labels[i]!;
    let list = groups.get(label);
    if (!list) {
      list = [];
      groups.set(label, list);
    }
    list.push(i);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Allocates `total` slots across classes in proportion to their sizes (largest remainder), at
 * least one per class that has two or more members when `total` allows.
 */
export function allocate(sizes: readonly number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum === 0) return sizes.map(() => 0);
  const exact = sizes.map((s) => (s * total) / sum);
  const out = exact.map((x) => Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (out[i]! < sizes[i]!) {
      out[i]! += 1;
      left -= 1;
    }
  }
  // Give each class with >= 2 members at least one slot, taking from the largest allocations.
  for (let i = 0; i < sizes.length; i++) {
    if (out[i] === 0 && sizes[i]! >= 2 && total >= sizes.filter((s) => s >= 2).length) {
      const donor = out.indexOf(Math.max(...out));
      if (donor >= 0 && out[donor]! > 1) {
        out[donor]! -= 1;
        out[i] = 1;
      }
    }
  }
  return out;
}

/**
 * Chooses a stratified test set of `testSize` originals (a fraction in (0, 1) or a count).
 * Returns sorted indices of test and training pool.
 */
export function stratifiedHoldout(
  labels: readonly string[],
  testSize: number,
  rng: Rng,
): { test: number[]; pool: number[] } {
  const all = labels.map((_, i) => i);
  const count = testSize < 1 ? Math.round(testSize * labels.length) : Math.round(testSize);
  if (count < 1 || count >= labels.length) {
    throw new RangeError(`A test set of ${count} leaves no room in ${labels.length} originals`);
  }
  const groups = byClass(labels, all);
  const quotas = allocate(
    [...groups.values()].map((g) => g.length),
    count,
  );
  const test: number[] = [];
  [...groups.entries()].forEach(([label, members], k) => {
    const shuffled = rng.fork(`test:${label}`).shuffle(members);
    test.push(...shuffled.slice(0, quotas[k]));
  });
  const inTest = new Set(test);
  return { test: test.sort((a, b) => a - b), pool: all.filter((i) => !inTest.has(i)) };
}

/**
 * `splits` disjoint stratified test sets of `testSize` originals each (a fraction of all originals
 * in (0, 1), or a count), for repeated outer evaluation. The first is exactly `stratifiedHoldout`
 * with `rng`; each later one is drawn from the originals no earlier split tested, with
 * `rng.fork(k)`. Each split's pool is every original outside its own test set.
 */
export function stratifiedHoldouts(
  labels: readonly string[],
  testSize: number,
  splits: number,
  rng: Rng,
): { test: number[]; pool: number[] }[] {
  const first = stratifiedHoldout(labels, testSize, rng);
  const out = [first];
  const count = first.test.length;
  if (splits > 1 && count * splits > labels.length) {
    throw new RangeError(
      `${splits} disjoint test sets of ${count} need ${count * splits} originals; there are ${labels.length} (lower --test-splits or the test size)`,
    );
  }
  const used = new Set(first.test);
  for (let k = 1; k < splits; k++) {
    const remaining = labels.map((_, i) => i).filter((i) => !used.has(i));
    // The last of k folds that use every original takes what is left.
    const test =
      count >= remaining.length
        ? remaining
        : stratifiedHoldout(
            remaining.map((i) => labels[i]!),
            count,
            rng.fork(k),
          ).test.map((j) => remaining[j]!);
    for (const i of test) used.add(i);
    const inTest = new Set(test);
    out.push({
      test: [...test].sort((a, b) => a - b),
      pool: labels.map((_, i) => i).filter((i) => !inTest.has(i)),
    });
  }
  return out;
}

/**
 * A random order of the pool in which every prefix is as close to stratified as possible, so
 * that training subsets are nested (each size contains the smaller ones) and balanced.
 */
export function nestedStratifiedOrder(
  labels: readonly string[],
  pool: readonly number[],
  rng: Rng,
): number[] {
  const groups = [...byClass(labels, pool).entries()].map(([label, members]) => ({
    queue: rng.fork(`order:${label}`).shuffle(members),
    share: members.length / pool.length,
    taken: 0,
  }));
  const order: number[] = [];
  for (let t = 1; order.length < pool.length; t++) {
    // The class furthest behind its share of the first t items goes next.
    let best = -1;
    let bestDeficit = Number.NEGATIVE_INFINITY;
    groups.forEach((g, k) => {
      if (g.taken >= g.queue.length) return;
      const deficit = g.share * t - g.taken;
      if (deficit > bestDeficit + 1e-12) {
        bestDeficit = deficit;
        best = k;
      }
    });
    const g = groups[best]!;
    order.push(g.queue[g.taken]!);
    g.taken += 1;
  }
  return order;
}

/**
 * Carves a stratified validation set out of a training subset. A validation set smaller than two
 * per class would make early stopping follow noise: then there is none (training loss is
 * monitored instead) and every original trains.
 */
export function carveValidation(
  labels: readonly string[],
  subset: readonly number[],
  fraction: number,
  rng: Rng,
): { fit: number[]; validation: number[] } {
  const count = Math.round(subset.length * fraction);
  const groups = byClass(labels, subset);
  if (fraction <= 0 || count < Math.max(2, 2 * groups.size)) return { fit: [...subset], validation: [] };
  const quotas = allocate(
    [...groups.values()].map((g) => g.length),
    count,
  );
  const validation = new Set<number>();
  [...groups.entries()].forEach(([label, members], k) => {
    // Never take a class's last member: it must still be trained on.
    const quota = Math.min(quotas[k]!, members.length - 1);
    for (const i of rng.fork(`validation:${label}`).shuffle(members).slice(0, Math.max(0, quota)))
      validation.add(i);
  });
  return {
    fit: subset.filter((i) => !validation.has(i)),
    validation: subset.filter((i) => validation.has(i)),
  };
}
