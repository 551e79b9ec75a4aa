import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every `.ts` file under `src`, with the relative modules it imports (type-only imports too). */
function importGraph(): Map<string, string[]> {
  const files = (readdirSync(SRC, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(SRC, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:from|import)\s+'(\.{1,2}\/[^']+)'/g)].map((m) =>
      resolve(dirname(file), m[1]!),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** The first import cycle found by depth-first search, as a list of paths relative to `src`. */
function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): string[] | undefined => {
    if (state.get(file) === 'done') return undefined;
    if (state.get(file) === 'open') return stack.slice(stack.indexOf(file)).concat(file);
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(file, 'done');
    return undefined;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle.map((f) => f.slice(SRC.length + 1));
  }
  return undefined;
}

it('has no import cycle between its modules (the estimator registry breaks factory <-> ensembles <-> tuning)', () => {
  const graph = importGraph();
  expect(graph.size).toBeGreaterThan(40);
  expect(findCycle(graph)).toBeUndefined();
});
