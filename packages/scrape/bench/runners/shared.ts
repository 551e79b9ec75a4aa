/** What every benchmark runner prints as its last stdout line. */
export interface RunnerResult {
  /** HTML pages loaded. */
  pages: number;
  /** Items written (distinct, verified images). */
  items: number;
  /** From the crawler's start to its end, browser launch included. */
  wallMs: number;
}

export function report(result: RunnerResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export { CHROMIUM_FLAGS as CHROMIUM_ARGS } from '@growset/browser';

export const [, , siteUrl = '', outDir = '', concurrencyArg = '8'] = process.argv;
export const concurrency = Number(concurrencyArg);
