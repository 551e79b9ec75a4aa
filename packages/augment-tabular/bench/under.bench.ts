/**
 * Under-samplers on 20,000 x 20 numeric rows with a 10% minority class (make_classification-like):
 * - Tomek links and ENN through `resample()` against plain references written here on the
 *   brute-force neighbour search (same process; "exact" = the same rows kept);
 * - every other under-sampler and combination, with `randomUnderSample` as the baseline.
 *
 * `npm run bench:under` (add `-- --quick` for 5,000 rows). Prints ratios; asserts nothing about time.
 */
import { formatTable, Rng, type TabularSample } from '@growset/core';
import { bruteForceNeighbors, type ResampleOptions, resample } from '../src/index.ts';
import { makeClassification } from './data.ts';

const quick = process.argv.includes('--quick');
const ROWS = quick ? 5_000 : 20_000;
const FEATURES = 20;
const { samples, matrix, columns } = makeClassification(ROWS, FEATURES, 0.1, 3);
const labels = samples.map((s) => String(s.label));

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const kept = (out: readonly TabularSample[]) => new Set(out.map((s) => s.id));
const run = (options: ResampleOptions) =>
  time(() =>
    resample(samples, { columns, standardize: false, ...options } as ResampleOptions, Rng.create(1)),
  );

/** Tomek links by the plain double loop: the majority member of each mutual nearest pair of different classes. */
function tomekReference(): Set<string> {
  const nearest = bruteForceNeighbors(matrix, FEATURES, 1).indices;
  const out = new Set<string>();
  samples.forEach((s, i) => {
    const j = nearest[i]!;
    const link = labels[j] !== labels[i] && nearest[j] === i && labels[i] !== '1';
    if (!link) out.add(s.id);
  });
  return out;
}

/** ENN (k = 3, all) by the plain double loop, cleaning every class but the minority. */
function ennReference(): Set<string> {
  const around = bruteForceNeighbors(matrix, FEATURES, 3).indices;
  const out = new Set<string>();
  samples.forEach((s, i) => {
    const agree = [0, 1, 2].every((j) => labels[around[i * 3 + j]!] === labels[i]);
    if (labels[i] === '1' || agree) out.add(s.id);
  });
  return out;
}

const rows: (string | number)[][] = [];
for (const [name, options, reference] of [
  ['tomekLinks', { method: 'tomekLinks' }, tomekReference],
  ['editedNearestNeighbours', { method: 'editedNearestNeighbours' }, ennReference],
] as const) {
  const ours = run(options as ResampleOptions);
  const ref = time(reference);
  const same =
    [...kept(ours.value.samples)].every((id) => ref.value.has(id)) &&
    ref.value.size === ours.value.samples.length;
  rows.push([
    name,
    Math.round(ref.ms),
    Math.round(ours.ms),
    `${(ref.ms / ours.ms).toFixed(1)}x`,
    same ? 'yes' : 'NO',
  ]);
}
console.log(`Cleaning ${ROWS} x ${FEATURES} rows, against plain brute-force references (ms):`);
console.log(formatTable(['method', 'reference', 'growset', 'ratio', 'exact'], rows));

const baseline = time(() => resample(samples, { method: 'randomUnderSample', columns }, Rng.create(1)));
const others: [string, ResampleOptions][] = [
  ['repeatedEditedNearestNeighbours', { method: 'repeatedEditedNearestNeighbours' }],
  ['allKnn', { method: 'allKnn' }],
  ['neighbourhoodCleaningRule', { method: 'neighbourhoodCleaningRule' }],
  ['nearMiss (1)', { method: 'nearMiss' }],
  ['nearMiss (3)', { method: 'nearMiss', version: 3 }],
  ['oneSidedSelection', { method: 'oneSidedSelection' }],
  ['condensedNearestNeighbour', { method: 'condensedNearestNeighbour' }],
  ['instanceHardnessThreshold', { method: 'instanceHardnessThreshold' }],
  ['clusterCentroids', { method: 'clusterCentroids' }],
  ['smoteEnn', { method: 'smoteEnn' }],
  ['smoteTomek', { method: 'smoteTomek' }],
];
const timed = others.map(([name, options]) => {
  const { value, ms } = run(options);
  return [
    name,
    Math.round(ms),
    `${(ms / baseline.ms).toFixed(0)}x`,
    value.samples.length,
    value.report.removed,
  ];
});
console.log(
  `\nEvery under-sampler on the same rows; baseline randomUnderSample ${baseline.ms.toFixed(1)} ms:`,
);
console.log(formatTable(['method', 'ms', 'vs baseline', 'rows out', 'removed'], timed));
