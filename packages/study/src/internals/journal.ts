import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TrialRecord } from './types.ts';

/**
 * Completed trials, one JSON line each, after a header naming the study's configuration hash. A
 * study killed midway resumes from it; a line torn by the kill is ignored (that trial runs again).
 */
export class TrialJournal {
  readonly path: string;
  readonly #hash: string;

  private constructor(path: string, hash: string) {
    this.path = path;
    this.#hash = hash;
  }

  /** Hash of everything that determines trial results. */
  static hashConfig(config: unknown): string {
    return createHash('sha256').update(JSON.stringify(config)).digest('hex').slice(0, 16);
  }

  /**
   * Opens the journal for a configuration: returns the trials already completed under the same
   * configuration (none if the file is new, from another configuration, or `fresh`).
   */
  static async open(
    path: string,
    configHash: string,
    fresh: boolean,
  ): Promise<{ journal: TrialJournal; done: TrialRecord[]; reset: boolean }> {
    await mkdir(dirname(path), { recursive: true });
    const journal = new TrialJournal(path, configHash);
    if (!fresh && existsSync(path)) {
      const lines = (await readFile(path, 'utf8')).split('\n');
      const header = safeParse(lines[0] ?? '') as { configHash?: string } | undefined;
      if (header?.configHash === configHash) {
        const done: TrialRecord[] = [];
        for (const line of lines.slice(1)) {
          const record = safeParse(line) as TrialRecord | undefined;
          if (record && typeof record.key === 'string') done.push(record);
        }
        return { journal, done, reset: false };
      }
    }
    await writeFile(path, `${JSON.stringify({ configHash })}\n`);
    return { journal, done: [], reset: existsSync(path) && !fresh };
  }

  get configHash(): string {
    return this.#hash;
  }

  async append(record: TrialRecord): Promise<void> {
    await appendFile(this.path, `${JSON.stringify(record)}\n`);
  }
}

function safeParse(line: string): unknown {
  if (line.trim() === '') return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
