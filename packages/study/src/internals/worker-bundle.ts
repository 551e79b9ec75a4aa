import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The plugin modules a bundle holds when they can be found, by the specifier plugins use. */
const BUNDLED_PACKAGES = ['@growset/train', '@growset/augment-tabular'];
/** Bundles of other versions of the sources are removed once this old. */
const STALE_MS = 24 * 60 * 60 * 1000;

let pending: Promise<string | undefined> | undefined;

/**
 * Bundles the study worker and the default plugins (growset's TypeScript sources; every other
 * package stays an import) into one ES module with esbuild, written under this package's
 * `.cache/` folder and named by its content hash; returns its file URL. A worker started from it
 * skips tsx, which otherwise transforms and resolves each source file in every worker: about
 * 0.5 s of start-up per worker. Built once per process, in about 0.14 s.
 *
 * Returns undefined, and the workers load the sources through tsx as before, when running from
 * compiled JavaScript, when `GROWSET_WORKER_BUNDLE=0`, or when esbuild or the folder is not
 * available. `imageAugmenter` is the default image augmenter's specifier, as plugin references
 * name it.
 */
export function workerBundle(imageAugmenter: string): Promise<string | undefined> {
  if (!import.meta.url.endsWith('.ts') || process.env.GROWSET_WORKER_BUNDLE === '0') {
    return Promise.resolve(undefined);
  }
  pending ??= build(imageAugmenter).catch(() => undefined);
  return pending;
}

async function build(imageAugmenter: string): Promise<string | undefined> {
  const esbuild = await import('esbuild');
  const here = fileURLToPath(new URL('.', import.meta.url));
  const resolvable = (specifier: string, fromDir: string) => {
    try {
      createRequire(join(fromDir, 'index.js')).resolve(specifier);
      return true;
    } catch {
      return false;
    }
  };
  const entries = BUNDLED_PACKAGES.filter((name) => resolvable(name, here)).map(
    (name) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(name)}),`,
  );
  entries.push(`  ${JSON.stringify(imageAugmenter)}: () => import('./image-augmenter.ts'),`);
  const contents = [
    "export { startWorker } from './worker.ts';",
    'export const bundledModules = {',
    ...entries,
    '};',
  ].join('\n');
  const result = await esbuild.build({
    stdin: { contents, resolveDir: here, sourcefile: 'worker-entry.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'growset-sources-only',
        setup(b) {
          // growset's own packages are bundled; everything else (tfjs, sharp, zod, Node's
          // modules) stays an import, resolved at run time from the bundle's folder.
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (isAbsolute(args.path)) return undefined;
            if (args.path.startsWith('@growset/') && resolvable(args.path, args.resolveDir)) return undefined;
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  // Inside the package, so that the bundle's imports resolve as the sources' do.
  const folder = fileURLToPath(new URL('../../.cache/', import.meta.url));
  const file = join(folder, `worker-${hash}.mjs`);
  mkdirSync(folder, { recursive: true });
  try {
    statSync(file);
  } catch {
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  }
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (path === file || !/^worker-[0-9a-f]{16}\.mjs/.test(name)) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
  return pathToFileURL(file).href;
}
