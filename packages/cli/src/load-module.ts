import { pathToFileURL } from 'node:url';
import { errorMessage } from '@growset/core';
import { UsageError } from './command.ts';

const TYPESCRIPT = /\.[cm]?tsx?$/;
let loader: Promise<void> | undefined;

/**
 * Imports a module the user names (a pipeline, a schema). JavaScript loads as it is. A TypeScript
 * file needs a loader: the growset command itself runs built JavaScript, so it registers tsx (an
 * optional peer of @growset/cli) the first time one is imported, unless TypeScript already loads
 * (running from the sources, or a Node with type stripping).
 */
export async function importModule(file: string): Promise<{ [name: string]: unknown }> {
  if (TYPESCRIPT.test(file) && !import.meta.url.endsWith('.ts') && !hasTypeStripping()) {
    loader ??= registerTsx(file);
    await loader;
  }
  return (await import(pathToFileURL(file).href)) as { [name: string]: unknown };
}

function hasTypeStripping(): boolean {
  return Boolean((process.features as { typescript?: unknown }).typescript);
}

async function registerTsx(file: string): Promise<void> {
  let api: typeof import('tsx/esm/api');
  try {
    api = await import('tsx/esm/api');
  } catch (error) {
    loader = undefined;
    throw new UsageError(
      `${file} is TypeScript: install tsx beside growset to load it (npm install --save-dev tsx), or compile it to JavaScript (${errorMessage(error)})`,
      { cause: error },
    );
  }
  api.register();
}
