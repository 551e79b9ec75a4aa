import {
  getBackend,
  getKernel,
  getKernelsForBackend,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs';
import { replaceKernel } from './kernels/matmul.ts';

/** Time spent in one kernel during a profiled run. */
export interface KernelTiming {
  kernel: string;
  calls: number;
  /** Time inside the kernel, excluding kernels it called itself. */
  selfMs: number;
}

export interface KernelProfile<T> {
  result: T;
  backend: string;
  wallMs: number;
  /** Sum of all kernels' self time. */
  kernelMs: number;
  /** Wall time outside kernels: engine bookkeeping, autograd, JS, awaits. */
  overheadMs: number;
  kernels: KernelTiming[];
}

/**
 * Runs `fn` with every kernel of the current backend wrapped in a timer, kernel by kernel (self
 * time, nested kernel calls subtracted), then restores the kernels. Synchronous backends (cpu,
 * wasm) give exact times; asynchronous ones time only the dispatch.
 */
export async function profileKernels<T>(fn: () => Promise<T> | T): Promise<KernelProfile<T>> {
  const backend = getBackend();
  const originals = getKernelsForBackend(backend);
  const stats = new Map<string, { calls: number; selfMs: number }>();
  const stack: number[] = [];
  for (const original of originals) {
    const inner = original.kernelFunc;
    const timed: KernelFunc = (args) => {
      const start = performance.now();
      stack.push(0);
      try {
        return inner(args);
      } finally {
        const elapsed = performance.now() - start;
        const nested = stack.pop() ?? 0;
        if (stack.length > 0) stack[stack.length - 1]! += elapsed;
        const entry = stats.get(original.kernelName) ?? { calls: 0, selfMs: 0 };
        entry.calls++;
        entry.selfMs += elapsed - nested;
        stats.set(original.kernelName, entry);
      }
    };
    for (const symbol of Object.getOwnPropertySymbols(inner)) {
      Object.defineProperty(timed, symbol, {
        value: (inner as unknown as { [key: symbol]: unknown })[symbol],
      });
    }
    replaceKernel({ ...original, kernelFunc: timed });
  }
  const start = performance.now();
  let result: T;
  try {
    result = await fn();
  } finally {
    for (const original of originals) {
      if (getKernel(original.kernelName, original.backendName)) replaceKernel(original as KernelConfig);
    }
  }
  const wallMs = performance.now() - start;
  const kernels = [...stats.entries()]
    .map(([kernel, s]) => ({ kernel, calls: s.calls, selfMs: s.selfMs }))
    .sort((a, b) => b.selfMs - a.selfMs);
  const kernelMs = kernels.reduce((sum, k) => sum + k.selfMs, 0);
  return { result, backend, wallMs, kernelMs, overheadMs: wallMs - kernelMs, kernels };
}

/** A text table of a profile's top kernels. */
export function formatKernelProfile(profile: KernelProfile<unknown>, top = 15): string {
  const lines = [
    `backend ${profile.backend}: wall ${profile.wallMs.toFixed(1)} ms, kernels ${profile.kernelMs.toFixed(1)} ms, outside kernels ${profile.overheadMs.toFixed(1)} ms`,
  ];
  for (const k of profile.kernels.slice(0, top)) {
    lines.push(
      `  ${k.kernel.padEnd(24)} ${String(k.calls).padStart(6)} calls ${k.selfMs.toFixed(1).padStart(9)} ms`,
    );
  }
  return lines.join('\n');
}
