// The optimizer step (the fused GrowsetOptimizerStep kernel on wasm, tf ops elsewhere) against a
// float64 reference of the textbook update rules and against tfjs's own tf.train optimizers, step
// by step, for every rule with and without the L1/L2 terms.
//
// Tolerance: |ours - reference| <= 1e-6 + 1e-5 * |reference| on the weights after each step.
// Each step is a handful of float32 operations per weight (rounding ~1e-7 relative); 8 steps
// accumulate well under 1e-5. A wrong rule (a missing bias correction, epsilon outside the root,
// the penalty on a bias, 2 * l2 vs l2) moves weights by 1e-3 or more at these learning rates.
import { Rng } from '@growset/core';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, profileKernels } from '../src/index.ts';
import { OPTIMIZER_STEP } from '../src/internals/backend/kernels/optimizer-step.ts';
import { Optimizer } from '../src/internals/loop/optimizer.ts';
import type { OptimizerName } from '../src/internals/models/spec.ts';
import { uniform32 } from './helpers/random.ts';
import { finiteDifferences, t64, worstError } from './helpers/reference64.ts';

const ATOL = 1e-6;
const RTOL = 1e-5;
const STEPS = 8;
const RULES: OptimizerName[] = ['sgd', 'momentum', 'rmsprop', 'adam'];
const PENALTIES = [
  { l1: 0, l2: 0 },
  { l1: 0.02, l2: 0 },
  { l1: 0, l2: 0.05 },
  { l1: 0.02, l2: 0.05 },
];
const SHAPES = [[5, 3], [3]];
/** The first parameter is a weight (penalized), the second a bias (never penalized). */
const REGULARIZED = [true, false];
const worst: Record<string, number> = {};

/** Learning rate of step `t` (1-based): varies, as under the cosine schedule. */
const lrAt = (base: number, t: number) => base * (1 - 0.05 * t);

/** The float64 reference: Keras/tfjs update rules with the penalty gradient `l1 sign(w) + 2 l2 w`. */
function reference64(
  rule: OptimizerName,
  lr: number,
  penalty: { l1: number; l2: number },
  initial: Float32Array[],
  grads: Float32Array[][],
): Float64Array[][] {
  const w = initial.map((p) => Float64Array.from(p));
  const m = initial.map((p) => new Float64Array(p.length));
  const v = initial.map((p) => new Float64Array(p.length));
  const history: Float64Array[][] = [];
  for (let t = 1; t <= grads.length; t++) {
    const rate = lrAt(lr, t);
    w.forEach((wp, k) => {
      const reg = REGULARIZED[k]!;
      for (let i = 0; i < wp.length; i++) {
        const g =
          grads[t - 1]![k]![i]! + (reg ? penalty.l1 * Math.sign(wp[i]!) + 2 * penalty.l2 * wp[i]! : 0);
        if (rule === 'sgd') wp[i]! -= rate * g;
        else if (rule === 'momentum') {
          m[k]![i] = 0.9 * m[k]![i]! + g;
          wp[i]! -= rate * m[k]![i]!;
        } else if (rule === 'rmsprop') {
          m[k]![i] = 0.9 * m[k]![i]! + 0.1 * g * g;
          wp[i]! -= (rate * g) / Math.sqrt(m[k]![i]! + 1e-7);
        } else {
          m[k]![i] = 0.9 * m[k]![i]! + 0.1 * g;
          v[k]![i] = 0.999 * v[k]![i]! + 0.001 * g * g;
          const mHat = m[k]![i]! / (1 - 0.9 ** t);
          const vHat = v[k]![i]! / (1 - 0.999 ** t);
          wp[i]! -= (rate * mHat) / (Math.sqrt(vHat) + 1e-7);
        }
      }
    });
    history.push(w.map((p) => p.slice()));
  }
  return history;
}

/** tfjs's tf.train optimizer of the same rule at a constant rate; the penalty gradient comes from tf.grad of the penalty. */
function tfTrain(
  rule: OptimizerName,
  lr: number,
  penalty: { l1: number; l2: number },
  initial: Float32Array[],
  grads: Float32Array[][],
): Float32Array[][] {
  const vars = initial.map((p, k) => tf.variable(tf.tensor(p, SHAPES[k]!), true, `w${k}`));
  const optimizer =
    rule === 'sgd'
      ? tf.train.sgd(lr)
      : rule === 'momentum'
        ? tf.train.momentum(lr, 0.9)
        : rule === 'rmsprop'
          ? tf.train.rmsprop(lr, 0.9, 0, 1e-7)
          : tf.train.adam(lr, 0.9, 0.999, 1e-7);
  // The penalty growset documents: l1 * sum(|w|) + l2 * sum(w^2) on weights.
  const penaltyGrad = tf.grad((w: tf.Tensor) =>
    tf.add(tf.mul(penalty.l1, tf.sum(tf.abs(w))), tf.mul(penalty.l2, tf.sum(tf.square(w)))),
  );
  const history: Float32Array[][] = [];
  for (const step of grads) {
    tf.tidy(() => {
      const named = vars.map((v, k) => {
        const g = tf.tensor(step[k]!, SHAPES[k]!);
        return { name: v.name, tensor: REGULARIZED[k] ? tf.add(g, penaltyGrad(v)) : g };
      });
      optimizer.applyGradients(named);
    });
    history.push(vars.map((v) => Float32Array.from(v.dataSync())));
  }
  optimizer.dispose();
  for (const v of vars) v.dispose();
  return history;
}

/** Growset's Optimizer over the same gradients: the weights after each step. */
function ours(
  rule: OptimizerName,
  lr: number,
  penalty: { l1: number; l2: number },
  initial: Float32Array[],
  grads: Float32Array[][],
  varyRate: boolean,
): Float32Array[][] {
  let params = initial.map((p, k) => tf.keep(tf.tensor(p, SHAPES[k]!)));
  const optimizer = new Optimizer({ name: rule, learningRate: lr, ...penalty }, params, REGULARIZED);
  const history: Float32Array[][] = [];
  grads.forEach((step, t) => {
    const g = step.map((values, k) => tf.tensor(values, SHAPES[k]!));
    params = varyRate ? optimizer.apply(params, g, lrAt(lr, t + 1)) : optimizer.apply(params, g);
    history.push(params.map((p) => Float32Array.from(p.dataSync())));
  });
  optimizer.dispose();
  for (const p of params) p.dispose();
  return history;
}

function problem(seed: string): { initial: Float32Array[]; grads: Float32Array[][] } {
  const rng = Rng.create(`optimizer-${seed}`);
  const initial = SHAPES.map((s) =>
    uniform32(
      rng,
      s.reduce((a, b) => a * b, 1),
      -1,
      1,
    ),
  );
  const grads = Array.from({ length: STEPS }, () =>
    SHAPES.map((s) =>
      uniform32(
        rng,
        s.reduce((a, b) => a * b, 1),
        -1,
        1,
      ),
    ),
  );
  return { initial, grads };
}

const cases = RULES.flatMap((rule) =>
  PENALTIES.map((penalty) => [`${rule} l1=${penalty.l1} l2=${penalty.l2}`, rule, penalty] as const),
);
/** Learning rates large enough that a wrong rule shows within a few steps. */
const RATE = { sgd: 0.1, momentum: 0.05, rmsprop: 0.01, adam: 0.02 } as const;

describe.each(['wasm', 'cpu'] as const)('optimizer step on %s', (backend) => {
  beforeAll(async () => {
    expect((await initBackend({ backend })).name).toBe(backend);
  });

  const compare = (what: string, actual: Float32Array[][], expected: ArrayLike<number>[][]) => {
    actual.forEach((step, t) => {
      step.forEach((values, k) => {
        const w = worstError(values, expected[t]![k]!, ATOL, RTOL);
        worst[backend] = Math.max(worst[backend] ?? 0, w.ratio);
        expect(
          w.ratio,
          `${what}, step ${t + 1}, param ${k}: entry ${w.index} is ${w.actual}, reference ${w.expected}`,
        ).toBeLessThanOrEqual(1);
      });
    });
  };

  it.each(cases)(
    '%s matches the float64 rule step by step (rate changing every step)',
    async (name, rule, penalty) => {
      const { initial, grads } = problem(name);
      const before = tf.memory().numTensors;
      const profile = await profileKernels(() => ours(rule, RATE[rule], penalty, initial, grads, true));
      expect(tf.memory().numTensors).toBe(before);
      const fusedCalls = profile.kernels.find((k) => k.kernel === OPTIMIZER_STEP)?.calls ?? 0;
      expect(fusedCalls).toBe(backend === 'wasm' ? STEPS * SHAPES.length : 0);
      compare(name, profile.result, reference64(rule, RATE[rule], penalty, initial, grads));
    },
  );

  it.each(cases)('%s matches tf.train step by step', (name, rule, penalty) => {
    const { initial, grads } = problem(`${name}-tf`);
    compare(
      name,
      ours(rule, RATE[rule], penalty, initial, grads, false),
      tfTrain(rule, RATE[rule], penalty, initial, grads),
    );
  });

  it('adds the gradient of l1 * sum|w| + l2 * sum(w^2) (finite differences in float64) to weights, nothing to biases', () => {
    const rng = Rng.create('penalty');
    const w = uniform32(rng, 15, -1, 1);
    const b = uniform32(rng, 3, -1, 1);
    const penalty = { l1: 0.3, l2: 0.7 };
    // sgd at rate 1 with a zero loss gradient: w - w' is exactly the penalty gradient.
    const [[nextW, nextB]] = ours(
      'sgd',
      1,
      penalty,
      [w, b],
      [[new Float32Array(15), new Float32Array(3)]],
      false,
    ) as [Float32Array[]];
    const w64 = t64(w, [15]);
    const [fd] = finiteDifferences([w64], () =>
      w64.v.reduce((s, x) => s + penalty.l1 * Math.abs(x) + penalty.l2 * x * x, 0),
    );
    const step = Float64Array.from(w, (x, i) => x - nextW![i]!);
    expect(worstError(step, fd!, 1e-6, 1e-5).ratio).toBeLessThanOrEqual(1);
    expect(Array.from(nextB!)).toEqual(Array.from(b));
  });
});

afterAll(() => {
  console.log(`optimizer checks: worst error / tolerance ${JSON.stringify(worst)}`);
});
