// A user's plain Node ESM program: imports every growset package from its published tarball
// (built JavaScript, no TypeScript loader) and runs a small real job with each.
// Run by .ci/consumer/run inside a fresh project; exits non-zero on the first failure.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const names = [
  '@growset/core',
  '@growset/tables',
  '@growset/scrape',
  '@growset/clean',
  '@growset/augment-image',
  '@growset/augment-tabular',
  '@growset/train',
  '@growset/study',
  '@growset/report',
  '@growset/browse',
  '@growset/queue',
  '@growset/cli',
];
const modules = {};
for (const name of names) {
  const started = performance.now();
  modules[name] = await import(name);
  const resolved = import.meta.resolve(name);
  assert.match(
    resolved,
    /\/node_modules\/@growset\/[^/]+\/dist\/index\.js$/,
    `${name} resolves to its dist/`,
  );
  console.log(
    `import ${name}: ${Object.keys(modules[name]).length} exports, ${(performance.now() - started).toFixed(0)} ms`,
  );
}
const core = modules['@growset/core'];
const { Rng } = core;
const dir = await mkdtemp(join(tmpdir(), 'growset-consumer-'));
const step = async (name, run) => {
  const started = performance.now();
  const detail = await run();
  console.log(`ok ${name} (${(performance.now() - started).toFixed(0)} ms)${detail ? `: ${detail}` : ''}`);
};

// Two well separated classes of 2-d points, `n` of `a` and `m` of `b`.
const table = (n, m, rng) => {
  const rows = [];
  for (let i = 0; i < n + m; i++) {
    const label = i < n ? 'a' : 'b';
    const centre = label === 'a' ? 0 : 4;
    rows.push({
      id: `row-${i}`,
      label,
      payload: { kind: 'tabular', values: { x: centre + rng.normal(), y: centre + rng.normal() } },
      lineage: [],
    });
  }
  return rows;
};

try {
  await step('augment an image (@growset/augment-image)', async () => {
    const { augment, compose, horizontalFlip, rotate } = modules['@growset/augment-image'];
    const width = 32;
    const pixels = new Uint8Array(width * width * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 256;
    const png = await core.encodeRawAsPng({ kind: 'raw', data: pixels, width, height: width, channels: 3 });
    const recipe = compose([horizontalFlip({ p: 1 }), rotate({ limit: 15 })]);
    const result = await augment(recipe, { image: { kind: 'encoded', data: png } }, Rng.create(1), {
      output: 'png',
    });
    assert.equal(result.target.image.kind, 'encoded');
    assert.ok(result.target.image.data.length > 100);
    return `${result.target.image.data.length} bytes of PNG, ${result.plan.passes} libvips pass(es)`;
  });

  await step('SMOTE a table (@growset/augment-tabular)', async () => {
    const { resample } = modules['@growset/augment-tabular'];
    const { samples, report } = resample(
      table(20, 6, Rng.create(2)),
      { method: 'smote', k: 3 },
      Rng.create(3),
    );
    assert.deepEqual(report.after, { a: 20, b: 20 });
    assert.equal(samples.length, 40);
    return `${JSON.stringify(report.before)} -> ${JSON.stringify(report.after)}`;
  });

  await step('train a logistic model (@growset/train)', async () => {
    const { describeBackend, initBackend, logisticRegression } = modules['@growset/train'];
    const backend = describeBackend(await initBackend());
    const rows = table(40, 40, Rng.create(4));
    const x = new Float32Array(rows.flatMap((r) => [r.payload.values.x, r.payload.values.y]));
    const y = Int32Array.from(rows, (r) => (r.label === 'a' ? 0 : 1));
    const data = { x, y, featureShape: [2], classes: ['a', 'b'] };
    const model = logisticRegression({ epochs: 30, learningRate: 0.1 });
    await model.fit(data, { rng: Rng.create(5) });
    const metrics = await model.score(data);
    model.dispose();
    assert.ok(metrics.accuracy > 0.9, `accuracy ${metrics.accuracy}`);
    return `accuracy ${metrics.accuracy.toFixed(3)} on ${backend}`;
  });

  await step(
    'run a tiny study on a worker thread and write its report (@growset/study, @growset/report)',
    async () => {
      const { runStudy, studyDataFromSamples } = modules['@growset/study'];
      const { writeReport, writeResults } = modules['@growset/report'];
      const { data } = await studyDataFromSamples(table(40, 20, Rng.create(6)), { name: 'points' });
      const base = { model: 'logistic', epochs: 20, learningRate: 0.1 };
      const results = await runStudy(data, {
        name: 'consumer',
        testSize: 20,
        trainSizes: [10, 30],
        seeds: 1,
        workers: 1,
        bootstrapRounds: 10,
        variants: [
          { name: 'baseline', model: base, baseline: true },
          { name: 'smote', model: base, augment: { kind: 'tabular', method: 'smote', options: { k: 3 } } },
        ],
      });
      for (const trial of results.trials) assert.equal(trial.ok, true, trial.error);
      await writeResults(results, dir);
      const report = await writeReport(results, join(dir, 'report.html'));
      const html = await readFile(report.path, 'utf8');
      assert.match(html, /<svg/);
      assert.ok((await stat(join(dir, 'results.json'))).size > 0);
      return `${results.trials.length} trials, report ${report.bytes} bytes`;
    },
  );

  await step('clean rows (@growset/clean)', async () => {
    const { dedupeRows, fromRows } = modules['@growset/clean'];
    const rows = [
      { x: 1, y: 2, label: 'a' },
      { x: 1, y: 2, label: 'a' },
      { x: 3, y: 4, label: 'b' },
    ];
    const run = await core.pipeline(fromRows(rows, { label: 'label' }), dedupeRows()).run({ seed: 0 });
    const dedupe = run.stages.find((s) => s.stage === 'dedupe-rows');
    assert.equal(dedupe.out, 2);
    return `${dedupe.in} rows in, ${dedupe.out} out`;
  });

  await step('index a CSV for browsing (@growset/browse)', async () => {
    const { writeFile } = await import('node:fs/promises');
    const { loadDataset } = modules['@growset/browse'];
    const file = join(dir, 'rows.csv');
    await writeFile(file, 'x,y,label\n1,2,a\n3,4,b\n5,6,a\n');
    const loaded = await loadDataset(file);
    assert.equal(loaded.rows.length, 3);
    return `${loaded.rows.length} rows, kind ${loaded.kind}`;
  });

  await step('check a queue URL without leaking its password (@growset/queue)', async () => {
    const { redactRedisUrl, checkRedisUrl } = modules['@growset/queue'];
    checkRedisUrl('redis://:secret@127.0.0.1:6379/2');
    const shown = redactRedisUrl('redis://:secret@127.0.0.1:6379/2');
    assert.ok(!shown.includes('secret'), shown);
    return shown;
  });

  await step('scrape and cli load', async () => {
    assert.equal(typeof modules['@growset/scrape'].crawl, 'function');
    assert.equal(typeof modules['@growset/cli'].main, 'function');
  });
} finally {
  await rm(dir, { recursive: true, force: true });
}
