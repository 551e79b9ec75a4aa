import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  AccountingError,
  DataError,
  filtered,
  filterStage,
  flatMapStage,
  fromIterable,
  type Identified,
  MemoryQuarantine,
  mapStage,
  type Pipeline,
  pipeline,
  quarantined,
  Rng,
  type Sample,
  type Source,
  type Stage,
  StageError,
} from '../src/index.ts';

interface Item extends Identified {
  n: number;
}

const items = (count: number): Item[] => Array.from({ length: count }, (_, n) => ({ id: `item-${n}`, n }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pipeline()', () => {
  it('flows types through the chain', async () => {
    const toText = mapStage('to-text', (item: Item) => ({ id: item.id, text: String(item.n) }));
    const p = pipeline(fromIterable('numbers', items(3)), toText);
    expectTypeOf(p).toEqualTypeOf<Pipeline<{ id: string; text: string }>>();
    const piped = p.pipe(
      mapStage('length', (x: { id: string; text: string }) => ({ id: x.id, length: x.text.length })),
    );
    expectTypeOf(piped).toEqualTypeOf<Pipeline<{ id: string; length: number }>>();
    const mismatched = mapStage('bad', (x: Item) => x);
    // @ts-expect-error a stage whose input type does not match the previous output is rejected
    pipeline(fromIterable('numbers', items(3)), toText, mismatched);
    const { items: out } = await piped.collect();
    expect(out).toEqual([
      { id: 'item-0', length: 1 },
      { id: 'item-1', length: 1 },
      { id: 'item-2', length: 1 },
    ]);
  });

  it('is immutable: pipe() returns a new pipeline', async () => {
    const base = pipeline(fromIterable('numbers', items(2)));
    const doubled = base.pipe(mapStage('double', (x: Item) => ({ ...x, n: x.n * 2 })));
    expect(base.stageNames).toEqual(['numbers']);
    expect(doubled.stageNames).toEqual(['numbers', 'double']);
    expect((await base.collect()).items.map((x) => x.n)).toEqual([0, 1]);
  });

  it('gives stages unique names and reports per-stage counts that add up', async () => {
    const summary = await pipeline(
      fromIterable('numbers', items(100)),
      filterStage('even', (x: Item) => (x.n % 2 === 0 ? true : 'odd number')),
      mapStage('check', (x: Item) =>
        x.n % 10 === 0 ? quarantined('multiple of ten', { detail: `n=${x.n}` }) : x,
      ),
      flatMapStage('copies', (x: Item) => [x, { ...x, id: `${x.id}-copy` }]),
      filterStage('even', () => true),
    ).run();
    expect(summary.ok).toBe(true);
    expect(summary.stages.map((s) => s.stage)).toEqual(['numbers', 'even', 'check', 'copies', 'even#2']);
    const byName = Object.fromEntries(summary.stages.map((s) => [s.stage, s]));
    expect(byName.even).toMatchObject({ in: 100, out: 50, filtered: 50, filteredBy: { 'odd number': 50 } });
    expect(byName.check).toMatchObject({
      in: 50,
      out: 40,
      quarantined: 10,
      quarantinedBy: { 'multiple of ten': 10 },
    });
    expect(byName.copies).toMatchObject({ in: 40, created: 40, out: 80 });
    for (const s of summary.stages) expect(s.in + s.created).toBe(s.out + s.filtered + s.quarantined);
    expect(summary).toMatchObject({ out: 80, filtered: 50, quarantined: 10, created: 40 });
  });

  it('sends samples that throw a DataError to quarantine with their source', async () => {
    const sink = new MemoryQuarantine();
    const summary = await pipeline(
      fromIterable('numbers', items(5)),
      mapStage('parse', (x: Item) => {
        if (x.n === 3)
          throw new DataError('bad value', 'n must not be 3', {
            source: { file: 'numbers.csv', row: 4, column: 'n' },
          });
        return x;
      }),
    ).run({ quarantine: sink });
    expect(summary.quarantined).toBe(1);
    expect(sink.records).toEqual([
      {
        stage: 'parse',
        id: 'item-3',
        reason: 'bad value',
        detail: 'bad value: n must not be 3',
        source: { file: 'numbers.csv', row: 4, column: 'n' },
      },
    ]);
  });

  it('wraps unexpected errors in a StageError with the stage, sample id and cause', async () => {
    const boom = new TypeError('boom');
    const run = pipeline(
      fromIterable('numbers', items(5)),
      mapStage('explode', (x: Item) => {
        if (x.n === 2) throw boom;
        return x;
      }),
    ).run();
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect(error).toMatchObject({ stage: 'explode', sampleId: 'item-2', cause: boom, code: 'ERR_STAGE' });
    expect((error as Error).message).toBe('Stage `explode` failed on sample `item-2`: boom');
  });

  it("quarantines unexpected errors instead when the stage's onError is 'quarantine'", async () => {
    const summary = await pipeline(
      fromIterable('numbers', items(4)),
      mapStage(
        'explode',
        (x: Item) => {
          if (x.n === 1) throw new Error('kaput');
          return x;
        },
        { onError: 'quarantine' },
      ),
    ).run();
    expect(summary.stages[1]).toMatchObject({ out: 3, quarantined: 1, quarantinedBy: { error: 1 } });
  });

  it('fails with an AccountingError when a stage loses a sample silently', async () => {
    const leaky: Stage<Item, Item> = {
      name: 'leaky',
      async *run(input) {
        for await (const x of input) if (x.n !== 1) yield x;
      },
    };
    const error = await pipeline(fromIterable('numbers', items(3)), leaky)
      .run()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccountingError);
    expect((error as Error).message).toMatch(
      /`leaky` lost track of samples: 3 in \+ 0 created = 3, but 2 out/,
    );
  });

  it('rejects a flatMap that returns nothing without saying why', async () => {
    const error = await pipeline(
      fromIterable('numbers', items(2)),
      flatMapStage('empty', () => [] as Item[]),
    )
      .run()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect((error as Error).message).toMatch(/returned no output without filtering or quarantining/);
  });

  it('runs at most `concurrency` items at once and keeps input order when ordered', async () => {
    let active = 0;
    let peak = 0;
    const rng = Rng.create('delays');
    const delays = items(40).map(() => rng.int(0, 5));
    const { items: out } = await pipeline(
      fromIterable('numbers', items(40)),
      mapStage(
        'slow',
        async (x: Item) => {
          active += 1;
          peak = Math.max(peak, active);
          await sleep(delays[x.n]!);
          active -= 1;
          return x;
        },
        { concurrency: 4 },
      ),
    ).collect();
    expect(peak).toBe(4);
    expect(out.map((x) => x.n)).toEqual(items(40).map((x) => x.n));
  });

  it('emits in completion order when unordered, without losing any item', async () => {
    const { items: out } = await pipeline(
      fromIterable('numbers', items(20)),
      mapStage(
        'slow',
        async (x: Item) => {
          await sleep(x.n % 2 === 0 ? 15 : 0);
          return x;
        },
        { concurrency: 8, ordered: false },
      ),
    ).collect();
    const order = out.map((x) => x.n);
    expect(order).not.toEqual(items(20).map((x) => x.n));
    expect([...order].sort((a, b) => a - b)).toEqual(items(20).map((x) => x.n));
  });

  it('gives identical output for the same seed at concurrency 1 and 8 with random completion order', async () => {
    const jitter = Rng.create(Date.now() % 1000); // completion order differs between the runs below
    const run = async (concurrency: number, seed: number) => {
      const { items: out } = await pipeline(
        fromIterable('numbers', items(200)),
        mapStage(
          'noise',
          async (x: Item, ctx) => {
            await sleep(jitter.int(0, 3));
            return { id: x.id, value: ctx.rng.normal(), pick: ctx.rng.int(0, 1000) };
          },
          { concurrency },
        ),
        flatMapStage(
          'copies',
          async (x: { id: string; value: number; pick: number }, ctx) => {
            await sleep(jitter.int(0, 2));
            return [x, { ...x, id: `${x.id}-copy`, value: x.value + ctx.rng.uniform() }];
          },
          { concurrency, ordered: true },
        ),
      ).collect({ seed });
      return out;
    };
    const serial = await run(1, 11);
    const parallel = await run(8, 11);
    expect(parallel).toEqual(serial);
    expect(await run(8, 12)).not.toEqual(serial);
  });

  it('keeps memory flat streaming 1,000,000 samples through a slow stage (backpressure)', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    const source: Source<Sample<{ value: number }>> = {
      name: 'million',
      async *run() {
        for (let i = 0; i < 1_000_000; i++) {
          yield { id: `s${i}`, payload: { value: i }, lineage: [] };
          if (i % 100_000 === 0) {
            gc();
            peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
          }
        }
      },
    };
    let seen = 0;
    const summary = await pipeline(
      source,
      mapStage(
        'slow',
        async (s: Sample<{ value: number }>) => {
          if (s.payload.value % 1000 === 0) await yieldToLoop();
          return s;
        },
        { concurrency: 4 },
      ),
      mapStage('count', (s: Sample<{ value: number }>) => {
        seen += 1;
        return s;
      }),
    ).run();
    expect(seen).toBe(1_000_000);
    expect(summary.out).toBe(1_000_000);
    expect(peak).toBeLessThan(50 * 1024 * 1024);
  }, 120_000);

  it('stops on abort, settles in-flight work and disposes stages in reverse order', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const stage = (name: string): Stage<Item, Item> => ({
      name,
      async *run(input) {
        for await (const x of input) yield x;
      },
      dispose() {
        events.push(`dispose ${name}`);
      },
    });
    const source: Source<Item> = {
      name: 'endless',
      async *run() {
        for (let n = 0; ; n++) {
          await sleep(1);
          yield { id: `item-${n}`, n };
        }
      },
      dispose() {
        events.push('dispose endless');
      },
    };
    const execution = pipeline(
      source,
      stage('a'),
      mapStage('slow', async (x: Item) => {
        await sleep(5);
        return x;
      }),
      stage('b'),
    ).start({ signal: controller.signal });
    let received = 0;
    const error = await (async () => {
      try {
        for await (const _ of execution) {
          received += 1;
          if (received === 5) controller.abort();
        }
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'ERR_ABORTED' });
    expect(received).toBe(5);
    expect(execution.summary).toMatchObject({ ok: false, aborted: true });
    expect(events).toEqual(['dispose b', 'dispose a', 'dispose endless']);
  });

  it('cancels a stage blocked in a long await as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = pipeline(
      fromIterable('numbers', items(3)),
      mapStage('hang', async (x: Item, ctx) => {
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 10_000);
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        return x;
      }),
    ).run({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(run).rejects.toMatchObject({ code: 'ERR_ABORTED' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('disposes every stage in reverse order when a stage fails, and keeps the original error', async () => {
    const events: string[] = [];
    const disposable = <T extends Identified>(name: string, fail = false): Stage<T, T> => ({
      name,
      async *run(input) {
        for await (const x of input) {
          if (fail) throw new Error(`${name} broke`);
          yield x;
        }
      },
      async dispose() {
        await sleep(1);
        events.push(name);
        if (name === 'first') throw new Error('dispose also failed');
      },
    });
    const error = await pipeline(
      fromIterable('numbers', items(3)),
      disposable<Item>('first'),
      disposable<Item>('second', true),
      disposable<Item>('third'),
    )
      .run()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StageError);
    expect((error as Error).message).toBe('Stage `second` failed: second broke');
    expect(events).toEqual(['third', 'second', 'first']);
  });

  it('reports progress events with live counts and a final run-end', async () => {
    const events: string[] = [];
    await pipeline(
      fromIterable('numbers', items(10)),
      filterStage('even', (x: Item) => (x.n % 2 === 0 ? true : 'odd')),
    ).run({
      name: 'demo',
      onProgress: (event) => {
        if (event.type === 'run-end') {
          events.push(
            `end ${event.ok} ${event.stages.map((s) => `${s.stage}:${s.in}/${s.out}/${s.filtered}`).join(' ')}`,
          );
        } else if (event.type === 'run-start') events.push(`start ${event.stages.join(',')}`);
      },
    });
    expect(events).toEqual(['start numbers,even', 'end true numbers:10/10/0 even:10/5/5']);
  });

  it('lets a sample be filtered with a reason returned from a map function', async () => {
    const { summary } = await pipeline(
      fromIterable('numbers', items(6)),
      mapStage('small', (x: Item) => (x.n > 3 ? filtered('too large', `n=${x.n}`) : x)),
    ).collect();
    expect(summary.stages[1]).toMatchObject({ out: 4, filtered: 2, filteredBy: { 'too large': 2 } });
  });
});
