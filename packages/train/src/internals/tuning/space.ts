import type { JsonObject, JsonValue, Rng } from '@growset/core';
import { z } from 'zod';

/**
 * A search dimension: a list of values (grid or uniform choice), or a distribution for random
 * search: `{ uniform: [a, b] }`, `{ logUniform: [a, b] }` (a > 0), `{ int: [a, b] }` (inclusive).
 */
export type Dimension =
  | JsonValue[]
  | { uniform: [number, number] }
  | { logUniform: [number, number] }
  | { int: [number, number] };

export const dimensionSchema = z.union([
  z.array(z.custom<JsonValue>((v) => v !== undefined)).min(1),
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }),
  z.strictObject({ int: z.tuple([z.int(), z.int()]) }),
]);

/** Parameter name (a spec field) -> dimension. */
export type SearchSpace = { [param: string]: Dimension };

/** Every combination of the listed values (grid search); distributions are not allowed. */
export function gridCandidates(space: SearchSpace): JsonObject[] {
  let out: JsonObject[] = [{}];
  for (const [name, dim] of Object.entries(space)) {
    if (!Array.isArray(dim))
      throw new RangeError(`Grid search needs a list of values for \`${name}\`, got a distribution`);
    out = out.flatMap((partial) => dim.map((value) => ({ ...partial, [name]: value })));
  }
  return out;
}

/** `count` random draws (random search), distinct when the space allows. */
export function randomCandidates(space: SearchSpace, count: number, rng: Rng): JsonObject[] {
  const out: JsonObject[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    const draw = rng.fork(`candidate-${attempt}`);
    const candidate: JsonObject = {};
    for (const [name, dim] of Object.entries(space)) candidate[name] = sample(dim, draw.fork(name));
    const key = JSON.stringify(candidate);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(candidate);
  }
  return out;
}

function sample(dim: Dimension, rng: Rng): JsonValue {
  if (Array.isArray(dim)) return rng.choice(dim);
  if ('uniform' in dim) return rng.uniform(dim.uniform[0], dim.uniform[1]);
  if ('logUniform' in dim) {
    const [a, b] = dim.logUniform;
    return Math.exp(rng.uniform(Math.log(a), Math.log(b)));
  }
  return rng.int(dim.int[0], dim.int[1]);
}

/** `hidden=[64,32] learningRate=0.01` */
export function candidateName(params: JsonObject): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)}`)
    .join(' ');
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(3)).toString();
}
