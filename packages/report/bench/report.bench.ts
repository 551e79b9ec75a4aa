// How the report and the results files scale, as ratios against building the report of a
// 60-trial study (the baseline), measured in the same process. The operations run interleaved,
// one of each per round, so that a load change on a shared machine hits all of them alike; each
// row is the median over the rounds. Run: `npm run bench` in this package.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '@growset/core';
import { buildReport, parseResults, readResults, type StudyResults, writeResults } from '../src/index.ts';
import { syntheticStudy } from '../test/helpers/study-results.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 9);

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

  const ops: [name: string, study: string, fn: () => Promise<unknown>][] = [
    ['buildReport (5 charts), baseline', describe(small), () => buildReport(small)],
    ['buildReport (5 charts)', describe(large), () => buildReport(large)],
    ['writeResults (json + 2 csv, fsync)', describe(small), () => writeResults(small, join(dir, 'small'))],
    ['writeResults (json + 2 csv, fsync)', describe(large), () => writeResults(large, join(dir, 'large'))],
    ['readResults (read + JSON.parse + zod)', describe(small), () => readResults(smallFiles.json)],
    ['readResults (read + JSON.parse + zod)', describe(large), () => readResults(largeFiles.json)],
    ['JSON.parse alone', describe(large), async () => JSON.parse(largeText)],
    ['parseResults (JSON.parse + zod)', describe(large), async () => parseResults(JSON.parse(largeText))],
  ];
  const times: number[][] = ops.map(() => []);
  for (const [, , fn] of ops) await fn(); // warm-up: module loading, JIT
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, [, , fn]] of ops.entries()) {
      const start = performance.now();
      await fn();
      times[i]!.push(performance.now() - start);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const medians = times.map(median);
  const baseline = medians[0]!;
  console.log(
    formatTable(
      ['operation', 'study', 'median ms', 'x baseline'],
      ops.map(([name, study], i) => [
        name,
        study,
        Number(medians[i]!.toFixed(1)),
        Number((medians[i]! / baseline).toFixed(3)),
      ]),
    ),
  );
  const built = await buildReport(large);
  console.log(
    `\n${ROUNDS} rounds. Large report: ${(Buffer.byteLength(built.html) / 1024).toFixed(0)} KB of HTML, ${built.charts.filter((c) => c.rendered).length} charts.`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
