import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseResults,
  ResultsFileError,
  readResults,
  type StudyResults,
  SUMMARY_COLUMNS,
  TRIAL_COLUMNS,
  writeResults,
} from '../src/index.ts';
import { syntheticStudy } from './helpers/study-results.ts';

let dir: string;
let results: StudyResults;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'growset-report-results-'));
  results = await syntheticStudy();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Minimal RFC 4180 reader for checking what we wrote (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const copy = (value: StudyResults): { [key: string]: unknown } => JSON.parse(JSON.stringify(value));

describe('writeResults', () => {
  it('writes results.json, results.csv and summary.csv atomically, leaving no temporary files', async () => {
    const out = join(dir, 'write');
    const paths = await writeResults(results, out);
    expect(paths).toEqual({
      json: join(out, 'results.json'),
      csv: join(out, 'results.csv'),
      summaryCsv: join(out, 'summary.csv'),
    });
    expect((await readdir(out)).sort()).toEqual(['results.csv', 'results.json', 'summary.csv']);
    const text = await readFile(paths.json, 'utf8');
    expect(text).toContain('\n  "schemaVersion": 1,'); // pretty-printed
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(results)));
  });

  it('writes one CSV row per trial, with the failed trial marked and its quoted error intact', async () => {
    const out = join(dir, 'csv');
    const paths = await writeResults(results, out);
    const rows = parseCsv(await readFile(paths.csv, 'utf8'));
    expect(rows[0]).toEqual([...TRIAL_COLUMNS]);
    expect(rows).toHaveLength(results.trials.length + 1);
    const col = (name: (typeof TRIAL_COLUMNS)[number]) => TRIAL_COLUMNS.indexOf(name);
    for (const [i, trial] of results.trials.entries()) {
      const row = rows[i + 1]!;
      expect(row[col('variant')]).toBe(trial.variant);
      expect(Number(row[col('trainSize')])).toBe(trial.trainSize);
      expect(Number(row[col('seed')])).toBe(trial.seed);
      expect(row[col('ok')]).toBe(String(trial.ok));
      if (trial.ok) {
        expect(Number(row[col('testAccuracy')])).toBe(trial.test!.accuracy);
        expect(Number(row[col('trainMacroF1')])).toBe(trial.train!.macroF1);
        expect(Number(row[col('testLogLoss')])).toBe(trial.test!.logLoss);
        expect(Number(row[col('fittedSamples')])).toBe(trial.fittedSamples);
        expect(row[col('error')]).toBe('');
      }
    }
    const failed = rows.filter((r) => r[col('ok')] === 'false');
    expect(failed).toHaveLength(1);
    expect(failed[0]![col('variant')]).toBe('augment');
    expect(failed[0]![col('testAccuracy')]).toBe('');
    expect(failed[0]![col('error')]).toBe('Worker exited with code 134: out of memory, "tensor" too large');
  });

  it('writes summary.csv per variant and size with the spread, gap, verdict and data equivalent', async () => {
    const out = join(dir, 'summary');
    const paths = await writeResults(results, out);
    const rows = parseCsv(await readFile(paths.summaryCsv, 'utf8'));
    expect(rows[0]).toEqual([...SUMMARY_COLUMNS]);
    const expected = results.summaries.reduce((n, s) => n + s.sizes.length, 0);
    expect(rows).toHaveLength(expected + 1);
    const col = (name: (typeof SUMMARY_COLUMNS)[number]) => SUMMARY_COLUMNS.indexOf(name);
    const augment800 = rows.find((r) => r[col('variant')] === 'augment' && r[col('trainSize')] === '800')!;
    const summary = results.summaries
      .find((s) => s.variant === 'augment')!
      .sizes.find((s) => s.trainSize === 800)!;
    expect(Number(augment800[col('seeds')])).toBe(2);
    expect(Number(augment800[col('failedTrials')])).toBe(1);
    expect(Number(augment800[col('testAccuracyMean')])).toBe(summary.testAccuracy.mean);
    expect(Number(augment800[col('gapCi95High')])).toBe(summary.gap.ci95[1]);
    expect(augment800[col('verdict')]).toBe(summary.verdict);
    const equivalent = results.summaries
      .find((s) => s.variant === 'augment')!
      .dataEquivalents.find((d) => d.trainSize === 800)!;
    expect(Number(augment800[col('worth')])).toBe(equivalent.worth);
    const baseline50 = rows.find((r) => r[col('variant')] === 'baseline' && r[col('trainSize')] === '50')!;
    expect(baseline50[col('worth')]).toBe(''); // the baseline is not compared with itself
  });
});

describe('readResults', () => {
  it('reads back exactly what writeResults wrote', async () => {
    const out = join(dir, 'roundtrip');
    const paths = await writeResults(results, out);
    expect(await readResults(paths.json)).toEqual(results);
  });

  it('reads a statistic stored as null (JSON for NaN or Infinity) back as NaN', async () => {
    const broken = structuredClone(results);
    broken.trials[0]!.test!.logLoss = Number.POSITIVE_INFINITY;
    broken.summaries[0]!.sizes[0]!.gap.std = Number.NaN;
    const paths = await writeResults(broken, join(dir, 'nan'));
    expect(await readFile(paths.json, 'utf8')).toContain('"logLoss": null');
    const back = await readResults(paths.json);
    expect(back.trials[0]!.test!.logLoss).toBeNaN();
    expect(back.summaries[0]!.sizes[0]!.gap.std).toBeNaN();
    expect(parseCsv(await readFile(paths.csv, 'utf8'))[1]![TRIAL_COLUMNS.indexOf('testLogLoss')]).toBe('');
  });

  it('names the field, the expectation and the value for a wrong type deep in a trial', async () => {
    const bad = copy(results);
    (bad.trials as { test: { accuracy: unknown } }[])[3]!.test.accuracy = 'high';
    const file = join(dir, 'wrong-type.json');
    await writeFile(file, JSON.stringify(bad));
    const error = await readResults(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultsFileError);
    const e = error as ResultsFileError;
    expect(e.message).toBe(
      `Invalid results file ${file}: field \`trials[3].test.accuracy\`: expected a number, got \`"high"\` (string)`,
    );
    expect(e.field).toBe('trials[3].test.accuracy');
    expect(e.file).toBe(file);
    expect(e.code).toBe('ERR_RESULTS_FILE');
  });

  it('names a missing field', async () => {
    const bad = copy(results);
    delete (bad.config as { seeds?: unknown }).seeds;
    const file = join(dir, 'missing.json');
    await writeFile(file, JSON.stringify(bad));
    await expect(readResults(file)).rejects.toThrow(
      `Invalid results file ${file}: field \`config.seeds\`: expected an array, got nothing (missing)`,
    );
  });

  it('rejects another schema version with a hint', async () => {
    const file = join(dir, 'v2.json');
    await writeFile(file, JSON.stringify({ ...copy(results), schemaVersion: 2 }));
    await expect(readResults(file)).rejects.toThrow(
      /field `schemaVersion`: expected one of 1, got `2` \(number\) \(this version of growset reads results with schemaVersion 1\)/,
    );
  });

  it('rejects an unknown verdict with the allowed values', () => {
    const bad = copy(results);
    (bad.summaries as { sizes: { verdict: string }[] }[])[1]!.sizes[2]!.verdict = 'great';
    expect(() => parseResults(bad, 'mine.json')).toThrow(
      'Invalid results file mine.json: field `summaries[1].sizes[2].verdict`: expected one of "overfits", "underfits", "fits", "unknown", got `"great"` (string)',
    );
  });

  it('reports invalid JSON with the file and where the parse failed', async () => {
    const file = join(dir, 'truncated.json');
    const text = JSON.stringify(copy(results), null, 2);
    await writeFile(file, text.slice(0, 300));
    const error = (await readResults(file).catch((e: unknown) => e)) as ResultsFileError;
    expect(error).toBeInstanceOf(ResultsFileError);
    expect(error.message).toMatch(new RegExp(`^Results file ${file} is not valid JSON`));
    expect(error.message).toMatch(/line \d+/);
  });

  it('reports a missing file and a folder by name', async () => {
    await expect(readResults(join(dir, 'nope.json'))).rejects.toThrow(
      `Results file ${join(dir, 'nope.json')}: file not found`,
    );
    await expect(readResults(dir)).rejects.toThrow(`Results file ${dir}: is a folder, not a file`);
  });

  it('keeps fields it does not know, so a newer study file survives a read and a rewrite', () => {
    const newer = { ...copy(results), studyNotes: 'from the future' };
    expect((parseResults(newer) as unknown as { studyNotes: string }).studyNotes).toBe('from the future');
  });
});
