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

/**
 * Parameter name -> dimension. A name is a field of the base spec (`learningRate`, `batchSize`,
 * `epochs`, `activation`, `hidden`, `l1`, `l2`, `dropout`...), or, for an mlp, `layers` (hidden
 * layer count) and `units` (width of every hidden layer), which together set `hidden`.
 */
export type SearchSpace = { [param: string]: Dimension };

/**
 * The spec a candidate trains: the base spec with the candidate's values, where an mlp's
 * `layers` and `units` become `hidden` (`units` repeated `layers` times; a missing one comes
 * from the base's `hidden`, default `[128, 64]`).
 */
export function candidateSpec(base: JsonObject, params: JsonObject): JsonObject {
  const { layers, units, ...rest } = params;
  const spec: JsonObject = { ...base, ...rest };
  if (layers === undefined && units === undefined) return spec;
  if (base.model !== 'mlp') {
    throw new RangeError(
      `Search parameters \`layers\` and \`units\` apply to an mlp base, not \`${String(base.model)}\` (search \`conv\` or \`dense\` lists instead)`,
    );
  }
  const hidden = Array.isArray(spec.hidden) ? (spec.hidden as number[]) : [128, 64];
  const count = layers === undefined ? hidden.length : Number(layers);
  const width = units === undefined ? (hidden[0] ?? 128) : Number(units);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(width) || width < 1) {
    throw new RangeError(
      `Search parameters need whole numbers: \`layers\` >= 0 and \`units\` >= 1, got layers=${String(layers)} units=${String(units)}`,
    );
  }
  spec.hidden = Array.from({ length: count }, () => width);
  return spec;
}

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
