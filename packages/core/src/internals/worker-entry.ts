/** The export condition under which growset's packages resolve to their TypeScript sources. */
export const SOURCE_CONDITION = '@growset/source';

/**
 * How a package's worker thread starts, given the URL of the module that starts it
 * (`import.meta.url`): built JavaScript loads the sibling `worker.js` as it is; the TypeScript
 * sources (such a module runs as `.ts` only in the repository) load through the sibling
 * `worker-source.mjs`, which registers tsx, with growset's packages resolved to their sources.
 */
export function workerThreadEntry(callerUrl: string): { url: URL; execArgv?: string[] } {
  if (!callerUrl.endsWith('.ts')) return { url: new URL('./worker.js', callerUrl) };
  const execArgv = process.execArgv.some((a) => a.includes(SOURCE_CONDITION))
    ? process.execArgv
    : [...process.execArgv, `--conditions=${SOURCE_CONDITION}`];
  return { url: new URL('./worker-source.mjs', callerUrl), execArgv };
}
