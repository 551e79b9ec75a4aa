import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@growset/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResultsFileError, runReportJob, writeResults } from '../src/index.ts';
import { syntheticStudy } from './helpers/study-results.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-report-job-'));
  await writeResults(await syntheticStudy({ galleryDir: dir }), dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runReportJob', () => {
  it('returns the summary, the files it wrote and a text for a terminal', async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (m) => warnings.push(m) };
    const progress: number[] = [];
    const job = await runReportJob(
      { results: 'results.json', out: 'site/report.html', cwd: dir },
      { logger, onProgress: (e) => progress.push('done' in e ? Number(e.done) : -1) },
    );
    expect(job.files).toEqual({ report: join(dir, 'site', 'report.html') });
    expect((await stat(job.files.report)).size).toBe(job.summary.bytes);
    expect(job.summary).toMatchObject({ charts: 5, galleryImages: 8, trials: 60, failedTrials: 1 });
    expect(job.text).toContain('Wrote site/report.html');
    expect(progress.length).toBeGreaterThan(0);
    expect(warnings).toEqual(job.summary.warnings);
  });

  it('throws ResultsFileError for a missing results file', async () => {
    await expect(runReportJob({ results: join(dir, 'nope.json') })).rejects.toBeInstanceOf(ResultsFileError);
  });
});
