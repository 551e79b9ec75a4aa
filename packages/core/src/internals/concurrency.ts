import { AbortError } from './errors.ts';

export interface ConcurrentMapOptions {
  /** Calls of `fn` in flight at once. */
  concurrency: number;
  /** Yield in input order (`true`) or in completion order. */
  ordered: boolean;
  signal?: AbortSignal;
}

/**
 * Maps an async iterable with at most `concurrency` calls in flight, pulling input only as
 * output is consumed (backpressure: memory is bounded by `concurrency` items). `fn` must not
 * reject; wrap failures in its result. On early exit, in-flight calls are awaited before the
 * upstream iterator is closed, so nothing runs after the generator returns.
 */
export async function* concurrentMap<I, R>(
  source: AsyncIterable<I>,
  fn: (item: I) => Promise<R>,
  options: ConcurrentMapOptions,
): AsyncGenerator<R> {
  const { concurrency, ordered, signal } = options;
  const iterator = source[Symbol.asyncIterator]();
  let exhausted = false;
  // Cooperative cancellation: checked before every pull. Work in flight gets the signal itself;
  // racing every item against the signal would cost more than the work for small items.
  const next = () => {
    if (signal?.aborted) throw abortReason(signal);
    return iterator.next();
  };

  if (concurrency === 1) {
    let current: Promise<R> | undefined;
    try {
      for (;;) {
        const step = await next();
        if (step.done) {
          exhausted = true;
          return;
        }
        current = fn(step.value);
        const value = await current;
        current = undefined;
        yield value;
      }
    } finally {
      if (current) await Promise.allSettled([current]);
      if (!exhausted) await iterator.return?.();
    }
  }

  if (ordered) {
    const window: Promise<R>[] = [];
    try {
      for (;;) {
        while (!exhausted && window.length < concurrency) {
          const step = await next();
          if (step.done) exhausted = true;
          else window.push(fn(step.value));
        }
        const head = window.shift();
        if (head === undefined) return;
        yield await head;
      }
    } finally {
      await Promise.allSettled(window);
      if (!exhausted) await iterator.return?.();
    }
  }

  const inflight = new Map<number, Promise<[number, R]>>();
  let counter = 0;
  try {
    for (;;) {
      while (!exhausted && inflight.size < concurrency) {
        const step = await next();
        if (step.done) exhausted = true;
        else {
          const key = counter++;
          inflight.set(
            key,
            fn(step.value).then((value) => [key, value] as [number, R]),
          );
        }
      }
      if (inflight.size === 0) return;
      const [key, value] = await Promise.race(inflight.values());
      inflight.delete(key);
      yield value;
    }
  } finally {
    await Promise.allSettled(inflight.values());
    if (!exhausted) await iterator.return?.();
  }
}

/** Resolves like `promise`, or rejects with an AbortError as soon as `signal` aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {}); // its outcome no longer matters, but must not surface as unhandled
    return Promise.reject(abortReason(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** The error to throw for an aborted signal: its reason if it is an Error, else an AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof AbortError) return reason;
  return new AbortError(
    reason instanceof Error && reason.name !== 'AbortError'
      ? `The run was aborted: ${reason.message}`
      : undefined,
    { cause: reason },
  );
}
