import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { errorMessage, isPipelineDefinition, type PipelineDefinition } from '@growset/core';
import { defineCommand, intOption, stringOption, UsageError } from '../command.ts';
import { importModule } from '../load-module.ts';

export const runCommand = defineCommand({
  name: 'run',
  summary: 'run a pipeline module (a file or folder exporting definePipeline(...))',
  usage: '<pipeline-module> [--out DIR] [--seed N] [--quick] [--json]',
  details: `
<pipeline-module> is a path to a .ts/.js file or a folder with an index.ts, such as
pipelines/digits. A bare name (digits) is looked up in ./pipelines/.`,
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: 'DIR', description: 'output folder', default: 'out/<pipeline name>' },
    seed: { type: 'string', value: 'N', description: 'seed of every random choice', default: '0' },
    quick: { type: 'boolean', description: 'small data sizes: under a minute, for tests and demos' },
  },
  async run(args, io) {
    const spec = args.positionals[0]!;
    const seed = intOption(args, 'seed', { min: 0, max: 2 ** 31 - 1 }) ?? 0;
    const quick = args.values.quick === true;
    const definition = await loadPipeline(spec, io.cwd);
    const out = resolve(io.cwd, stringOption(args, 'out') ?? `out/${definition.name}`);
    await mkdir(out, { recursive: true });
    io.logger.info(
      `Running pipeline \`${definition.name}\`${quick ? ' (quick)' : ''} with seed ${seed} into ${out}`,
    );
    const started = performance.now();
    const result = await definition.run({
      out,
      seed,
      quick,
      signal: io.signal,
      logger: io.logger,
      onProgress: io.onProgress,
    });
    const wallTimeMs = Math.round(performance.now() - started);
    return {
      summary: { pipeline: definition.name, out, seed, quick, wallTimeMs, ...result.summary },
      text: `${result.text.trimEnd()}\n\nPipeline \`${definition.name}\` finished in ${(wallTimeMs / 1000).toFixed(1)} s; output in ${out}\n`,
    };
  },
});

/** Resolves and imports a pipeline module, with a clear usage error for every way it can fail. */
export async function loadPipeline(spec: string, cwd: string): Promise<PipelineDefinition> {
  const base = resolve(cwd, spec);
  const candidates = [base, `${base}.ts`, `${base}.js`, resolve(base, 'index.ts'), resolve(base, 'index.js')];
  if (!spec.includes('/') && !spec.includes('\\')) {
    const named = resolve(cwd, 'pipelines', spec);
    candidates.push(resolve(named, 'index.ts'), resolve(named, 'index.js'), `${named}.ts`);
  }
  const file = candidates.find((c) => existsSync(c) && statSync(c).isFile());
  if (!file) {
    throw new UsageError(
      `Pipeline module not found: \`${spec}\` (no file ${basename(base)}, ${basename(base)}.ts or ${basename(base)}/index.ts under ${cwd})`,
    );
  }
  let mod: { [name: string]: unknown };
  try {
    mod = await importModule(file);
  } catch (error) {
    throw new UsageError(`Cannot load pipeline module \`${spec}\` (${file}): ${errorMessage(error)}`, {
      cause: error,
    });
  }
  const found = [mod.default, mod.pipeline].find(isPipelineDefinition);
  if (!found) {
    const all = Object.keys(mod);
    const names = all.length > 8 ? [...all.slice(0, 8), `... ${all.length - 8} more`] : all;
    throw new UsageError(
      `\`${spec}\` exports no pipeline: expected \`export default definePipeline({...})\` from @growset/core` +
        ` (its exports: ${names.length > 0 ? names.join(', ') : 'none'})`,
    );
  }
  return found;
}
