// Per-item overhead of the pipeline engine, against a hand-written async-generator chain doing the
// same work in the same process. Prints items/s and the ratio to the baseline.
import { fromIterable, mapStage, pipeline, type Source } from '../src/index.ts';

interface Item {
  id: string;
  value: number;
}

const N = Number(process.env.BENCH_ITEMS ?? 300_000);

function* numbers(): Generator<Item> {
  for (let i = 0; i < N; i++) yield { id: `s${i}`, value: i };
}

async function baseline(): Promise<number> {
  async function* source() {
    yield* numbers();
  }
  async function* map(input: AsyncIterable<Item>, f: (x: Item) => Item) {
    for await (const x of input) yield f(x);
  }
  let count = 0;
  for await (const _ of map(map(map(source(), inc), inc), inc)) count += 1;
  return count;
}

const inc = (x: Item): Item => ({ id: x.id, value: x.value + 1 });

async function engine(concurrency: number): Promise<number> {
  const source: Source<Item> = fromIterable('numbers', numbers());
  const summary = await pipeline(
    source,
    mapStage('a', inc, { concurrency }),
    mapStage('b', inc, { concurrency }),
    mapStage('c', inc, { concurrency }),
  ).run();
  return summary.out;
}

async function time(
  name: string,
  fn: () => Promise<number>,
  repeats = 3,
): Promise<{ name: string; perSecond: number }> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    const count = await fn();
    if (count !== N) throw new Error(`${name} produced ${count} items, expected ${N}`);
    best = Math.min(best, performance.now() - start);
  }
  return { name, perSecond: N / (best / 1000) };
}

const results = [
  await time('async generators (baseline)', baseline),
  await time('pipeline, 3 map stages, concurrency 1', () => engine(1)),
  await time('pipeline, 3 map stages, concurrency 8', () => engine(8)),
];
const base = results[0]!.perSecond;
console.log(`${N} items through 3 map stages (best of 3 runs each)`);
for (const r of results) {
  console.log(
    `${r.name.padEnd(42)} ${Math.round(r.perSecond).toLocaleString('en').padStart(10)} items/s  ratio ${(r.perSecond / base).toFixed(2)}`,
  );
}
