/**
 * growset's default logistic regression and MLP against scikit-learn's defaults, on public tables
 * (scikit-learn's digits and iris, vega-datasets' penguins), on exactly the same training rows and
 * test rows, with the same preprocessing (scaler fitted on the training rows).
 *
 * The rows and scikit-learn's accuracies come from `bench/reference/sklearn_curves.py` (committed
 * with its output: `splits.json`, `sklearn-curves.json`; the tables are in `test/fixtures`).
 * growset's side: `logisticRegression()` and `mlp({ hidden: [64] })` (scikit-learn:
 * `LogisticRegression()`, `MLPClassifier(hidden_layer_sizes=(64,))`), 3 seeds per size.
 *
 * Usage: npm run bench:sklearn [-- --tables digits,iris] [-- --models logistic] [-- --scaling auto|standardize|minmax] [-- --json FILE]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabeledData, Rng } from '@growset/core';
import {
  autoScaling,
  describeBackend,
  fitScaler,
  initBackend,
  logisticRegression,
  mlp,
  type NeuralEstimator,
  type Scaling,
} from '../src/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const tables = (option('--tables') ?? 'digits,iris,penguins').split(',');
const models = (option('--models') ?? 'logistic,mlp').split(',');
const scalingOption = (option('--scaling') ?? 'auto') as Scaling | 'auto';
const jsonFile = option('--json');

interface Split {
  rows: number;
  test: number[];
  train: { [sizeSeed: string]: number[] };
}
interface Reference {
  sklearn: string;
  seeds: number[];
  results: { table: string; scaling: string; model: string; size: number; accuracy: number[] }[];
}
const splits = JSON.parse(readFileSync(join(here, 'reference', 'splits.json'), 'utf8')) as {
  [table: string]: Split;
};
const reference = JSON.parse(
  readFileSync(join(here, 'reference', 'sklearn-curves.json'), 'utf8'),
) as Reference;

/** A fixture CSV: numeric features, then the label. */
function readTable(name: string): { x: Float64Array; d: number; labels: string[] } {
  const lines = readFileSync(join(here, '..', 'test', 'fixtures', `${name}.csv`), 'utf8')
    .trim()
    .split('\n');
  const d = lines[0]!.split(',').length - 1;
  const x = new Float64Array((lines.length - 1) * d);
  const labels: string[] = [];
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',');
    for (let j = 0; j < d; j++) x[i * d + j] = Number(cells[j]);
    labels.push(cells[d]!);
  });
  return { x, d, labels };
}

function rowsOf(x: Float64Array, d: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * d);
  rows.forEach((r, i) => {
    out.set(x.subarray(r * d, (r + 1) * d), i * d);
  });
  return out;
}

const makers: { [model: string]: () => NeuralEstimator } = {
  logistic: () => logisticRegression(),
  mlp: () => mlp({ hidden: [64] }),
};

const info = await initBackend({ backend: 'wasm' });
console.log(`Backend: ${describeBackend(info)}; scikit-learn ${reference.sklearn}`);
const out: {
  table: string;
  model: string;
  scaling: string;
  size: number;
  growset: number[];
  sklearn: number[];
}[] = [];
for (const table of tables) {
  const split = splits[table];
  if (!split) throw new Error(`No split for table ${table}`);
  const { x, d, labels } = readTable(table);
  const classes = [...new Set(labels)].sort();
  const y = labels.map((l) => classes.indexOf(l));
  const sizes = [...new Set(Object.keys(split.train).map((k) => Number(k.split('/')[0])))].sort(
    (a, b) => a - b,
  );
  const scaling =
    scalingOption === 'auto'
      ? autoScaling(rowsOf(x, d, split.train[`${sizes.at(-1)}/${reference.seeds[0]}`]!), d)
      : scalingOption;
  for (const model of models) {
    console.log(`\n${table} (${d} features, ${classes.length} classes), ${model}, ${scaling}`);
    console.log('   n | scikit-learn | growset | growset - sklearn | fit ms');
    const diffs: number[] = [];
    for (const size of sizes) {
      const ref = reference.results.find(
        (r) => r.table === table && r.model === model && r.size === size && r.scaling === scaling,
      );
      if (!ref) throw new Error(`No scikit-learn result for ${table}/${model}/${size}/${scaling}`);
      const accs: number[] = [];
      let ms = 0;
      for (const seed of reference.seeds) {
        const train = split.train[`${size}/${seed}`]!;
        const scaler = fitScaler(rowsOf(x, d, train), d, scaling);
        const data = (rows: readonly number[]): LabeledData => ({
          x: scaler.transform(rowsOf(x, d, rows)),
          y: Int32Array.from(rows.map((r) => y[r]!)),
          featureShape: [d],
          classes,
        });
        const estimator = makers[model]!();
        const started = performance.now();
        await estimator.fit(data(train), { rng: Rng.create(seed) });
        ms += performance.now() - started;
        accs.push((await estimator.score(data(split.test))).accuracy);
        estimator.dispose();
      }
      const mean = (v: number[]) => (100 * v.reduce((a, b) => a + b, 0)) / v.length;
      const diff = mean(accs) - mean(ref.accuracy);
      diffs.push(diff);
      out.push({ table, model, scaling, size, growset: accs, sklearn: ref.accuracy });
      console.log(
        `${String(size).padStart(4)} | ${mean(ref.accuracy).toFixed(2).padStart(11)}% | ${mean(accs).toFixed(2).padStart(6)}% | ${(diff >= 0 ? '+' : '') + diff.toFixed(2)} | ${Math.round(ms / reference.seeds.length)}`,
      );
    }
    const average = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    console.log(`mean difference ${average.toFixed(2)} points; worst ${Math.min(...diffs).toFixed(2)}`);
  }
}
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ backend: info.name, results: out }, null, 1));
