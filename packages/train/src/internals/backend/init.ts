import { isMainThread } from 'node:worker_threads';
import { parseOptions } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { registerWasmKernels } from './kernels/register.ts';
import { wasmBinaryFolder } from './wasm-paths.ts';

/** Backends growset can train on, fastest first. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export interface BackendOptions {
  /**
   * Backend to use. `auto` takes the first that loads of `tensorflow` (`@tensorflow/tfjs-node`,
   * when installed, and only in the main thread), `wasm`, `cpu`. The environment variable `GROWSET_BACKEND` overrides `auto`.
   * @default 'auto'
   */
  backend?: BackendName | 'auto';
}

/** The backend in use, recorded with every result. */
export interface BackendInfo {
  /** `tensorflow`, `wasm` or `cpu`. */
  name: BackendName;
  /** Extra facts: `simd` for wasm; `threads` for wasm. */
  simd?: boolean;
  threads?: number;
  /** Kernels growset registered for this backend. */
  kernels: string[];
  /** Why faster backends were skipped (`auto` only). */
  skipped: { backend: BackendName; reason: string }[];
}

const optionsSchema = z.strictObject({
  backend: z.enum(['auto', ...BACKENDS]).default('auto'),
});

const TFJS_NODE = '@tensorflow/tfjs-node';

let pending: Promise<BackendInfo> | undefined;
let pendingChoice: string | undefined;

/**
 * Selects and initializes the training backend once per thread (idempotent: later calls with the
 * same choice, or with `auto`, return the same info; an explicit other choice switches; works in worker threads, where the wasm binary is read from
 * node_modules). Prints nothing: callers print {@link describeBackend}.
 */
export function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const opts = parseOptions(optionsSchema, options, 'BackendOptions');
  // `auto` keeps whatever this thread already chose: estimators call initBackend() before every
  // fit, and that must not undo a caller's initBackend({ backend: 'cpu' }).
  if (opts.backend === 'auto' && pending) return pending;
  const fromEnv = process.env.GROWSET_BACKEND;
  let choice: string = opts.backend;
  if (choice === 'auto' && fromEnv !== undefined && fromEnv !== '' && fromEnv !== 'auto') {
    choice = parseOptions(optionsSchema, { backend: fromEnv }, 'GROWSET_BACKEND').backend;
  }
  if (pending && pendingChoice === choice) return pending;
  pendingChoice = choice;
  pending = select(choice as BackendName | 'auto');
  pending.catch(() => {
    pending = undefined;
    pendingChoice = undefined;
  });
  return pending;
}

/**
 * Why `auto` does not load tfjs-node in a worker thread: its native addon fails or crashes in the
 * second and later worker threads of a process (tfjs issues 2079, 8388), so a study's workers
 * would end up on different backends, or die. An explicit choice still loads it.
 */
export const NATIVE_IN_WORKER =
  '@tensorflow/tfjs-node is not loaded in a worker thread by `auto` (its native addon fails in the second and later worker threads of a process: tfjs issues 2079, 8388); choose it explicitly to try anyway';

async function select(choice: BackendName | 'auto'): Promise<BackendInfo> {
  const order: readonly BackendName[] = choice === 'auto' ? BACKENDS : [choice];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of order) {
    if (choice === 'auto' && name === 'tensorflow' && !isMainThread) {
      skipped.push({ backend: name, reason: NATIVE_IN_WORKER });
      continue;
    }
    try {
      return { ...(await activate(name)), skipped };
    } catch (error) {
      const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      if (choice !== 'auto')
        throw new Error(`Cannot start the \`${name}\` backend: ${reason}`, { cause: error });
      skipped.push({ backend: name, reason });
    }
  }
  throw new Error(
    `No TensorFlow.js backend could start: ${skipped.map((s) => `${s.backend} (${s.reason})`).join('; ')}`,
  );
}

async function activate(name: BackendName): Promise<Omit<BackendInfo, 'skipped'>> {
  if (name === 'tensorflow') {
    // Optional peer dependency: loaded only when installed. Importing it registers the backend.
    const moduleName: string = TFJS_NODE;
    await import(moduleName);
    await setBackendOrThrow('tensorflow');
    return { name, kernels: [] };
  }
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm').then(({ setWasmPaths }) => {
      if (!('wasm' in tf.engine().registry)) {
        try {
          setWasmPaths(wasmBinaryFolder());
        } catch {
          // Already initialized by someone else with their own paths: keep them.
        }
      }
    });
    await setBackendOrThrow('wasm');
    const kernels = registerWasmKernels();
    return { name, simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), threads: 1, kernels };
  }
  await setBackendOrThrow('cpu');
  return { name, kernels: [] };
}

async function setBackendOrThrow(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/** One line for logs: `wasm (SIMD, 1 thread; growset kernels: Conv2DBackpropFilter, ...)`. */
export function describeBackend(info: BackendInfo): string {
  const facts: string[] = [];
  if (info.simd !== undefined) facts.push(info.simd ? 'SIMD' : 'no SIMD');
  if (info.threads !== undefined) facts.push(`${info.threads} thread${info.threads === 1 ? '' : 's'}`);
  if (info.kernels.length > 0) facts.push(`growset kernels: ${info.kernels.join(', ')}`);
  const skipped = info.skipped.map((s) => `${s.backend} unavailable: ${s.reason}`);
  return `${info.name}${facts.length > 0 ? ` (${facts.join('; ')})` : ''}${skipped.length > 0 ? ` [${skipped.join('; ')}]` : ''}`;
}
