// How long results files and the report take, as ratios against writing the results files of
// the same study (the baseline, measured in the same process). Run: `npm run bench` in this package.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '@growset/core';
import { buildReport, parseResults, readResults, type StudyResults, writeResults } from '../src/index.ts';
import { syntheticStudy } from '../test/helpers/study-results.ts';

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up: module loading, JIT
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const dir = await mkdtemp(join(tmpdir(), 'growset-report-bench-'));
try {
  const small = await syntheticStudy({ failedTrial: null });
  const large = await syntheticStudy({
    failedTrial: null,
    extraVariants: 8,
    sizes: [50, 100, 200, 400, 800, 1600, 3200, 6400],
    seeds: [1, 2, 3, 4, 5],
  });
  const describe = (r: StudyResults) => `${r.summaries.length} variants, ${r.trials.length} trials`;
  const smallFiles = await writeResults(small, join(dir, 'small'));
  const largeFiles = await writeResults(large, join(dir, 'large'));
  const largeText = JSON.stringify(large);

  const rows: [string, string, number][] = [];
  const measure = async (name: string, study: string, runs: number, fn: () => Promise<unknown>) => {
    rows.push([name, study, await median(runs, fn)]);
  };
  await measure('writeResults (json + 2 csv), baseline', describe(small), 15, () =>
    writeResults(small, join(dir, 'small')),
  );
  await measure('readResults (parse + zod)', describe(small), 15, () => readResults(smallFiles.json));
  await measure('buildReport (5 charts)', describe(small), 7, () => buildReport(small));
  await measure('writeResults (json + 2 csv)', describe(large), 7, () =>
    writeResults(large, join(dir, 'large')),
  );
  await measure('JSON.parse only', describe(large), 7, async () => JSON.parse(largeText));
  await measure('parseResults (JSON.parse + zod)', describe(large), 7, async () =>
    parseResults(JSON.parse(largeText)),
  );
  await measure('readResults (read + parse + zod)', describe(large), 7, () => readResults(largeFiles.json));
  await measure('buildReport (5 charts)', describe(large), 5, () => buildReport(large));

  const baseline = rows[0]![2];
  console.log(
    formatTable(
      ['operation', 'study', 'median ms', 'x baseline'],
      rows.map(([name, study, ms]) => [
        name,
        study,
        Number(ms.toFixed(1)),
        Number((ms / baseline).toFixed(2)),
      ]),
    ),
  );
  const built = await buildReport(large);
  console.log(
    `\nLarge report: ${(Buffer.byteLength(built.html) / 1024).toFixed(0)} KB of HTML, ${built.charts.filter((c) => c.rendered).length} charts.`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
