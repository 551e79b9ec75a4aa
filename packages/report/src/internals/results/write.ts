import { join } from 'node:path';
import { writeFileAtomic } from '@growset/core';
import { summaryCsv, trialsCsv } from './csv.ts';
import type { StudyResults } from './types.ts';

/** Paths of the files {@link writeResults} wrote. */
export interface WrittenResults {
  /** `results.json`: the source of truth. */
  json: string;
  /** `results.csv`: one row per trial. */
  csv: string;
  /** `summary.csv`: one row per variant and training size. */
  summaryCsv: string;
}

/**
 * Writes `results.json` (pretty-printed), `results.csv` and `summary.csv` into `dir` (created if
 * missing). Each file appears atomically: a reader never sees a half-written one. Non-finite
 * statistics are stored as `null` in JSON and as empty cells in CSV.
 */
export async function writeResults(results: StudyResults, dir: string): Promise<WrittenResults> {
  const paths: WrittenResults = {
    json: join(dir, 'results.json'),
    csv: join(dir, 'results.csv'),
    summaryCsv: join(dir, 'summary.csv'),
  };
  // Render everything before touching the disk, so a rendering error leaves no partial set.
  const json = `${JSON.stringify(results, null, 2)}\n`;
  const csv = trialsCsv(results);
  const summary = summaryCsv(results);
  await writeFileAtomic(paths.json, json);
  await writeFileAtomic(paths.csv, csv);
  await writeFileAtomic(paths.summaryCsv, summary);
  return paths;
}
