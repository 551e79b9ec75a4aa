import { FunctionBuilder } from './assembler.ts';

/** An Adam step's shape: the parameter's size and which penalties apply. */
export interface AdamGeometry {
  size: number;
  l1: boolean;
  l2: boolean;
}

export function adamKey(g: AdamGeometry): string {
  return `adam:${g.size},${g.l1 ? 1 : 0},${g.l2 ? 1 : 0}`;
}

/**
 * `run(w, g, m, v, ow, om, ov, k)`: one Adam step in float32, four parameters at a time. `k` points
 * to the step's constants `[beta1, 1 - beta1, beta2, 1 - beta2, stepSize, vScale, epsilon, l1,
 * 2 * l2]` (stepSize and vScale carry the bias corrections): `g' = g + 2 l2 w + l1 sign(w)`,
 * `m' = beta1 m + (1 - beta1) g'`, `v' = beta2 v + (1 - beta2) g'^2`,
 * `w' = w - stepSize m' / (sqrt(v' vScale) + epsilon)`.
 */
export function adamKernel(g: AdamGeometry): FunctionBuilder {
  const [W, G, M, V, OW, OM, OV, K] = [0, 1, 2, 3, 4, 5, 6, 7];
  const f = new FunctionBuilder(8);
  const counter = f.i32();
  const [b1, c1, b2, c2, step, vScale, eps, l1, l2x2] = Array.from({ length: 9 }, () => f.v128());
  const [wv, gv, mv, vv, t, u, zero] = Array.from({ length: 7 }, () => f.v128());
  [b1, c1, b2, c2, step, vScale, eps, l1, l2x2].forEach((local, i) => {
    f.splat(local!, K, 4 * i);
  });
  f.zero(zero!);
  const chunk = (lanes: number) => {
    f.loadPartial(wv!, W, 0, lanes);
    f.loadPartial(gv!, G, 0, lanes);
    f.loadPartial(mv!, M, 0, lanes);
    f.loadPartial(vv!, V, 0, lanes);
    if (g.l2) f.mulAdd(gv!, l2x2!, wv!);
    if (g.l1) {
      f.gt(t!, wv!, zero!);
      f.and(t!, t!, l1!);
      f.gt(u!, zero!, wv!);
      f.and(u!, u!, l1!);
      f.sub(t!, t!, u!);
      f.add(gv!, gv!, t!);
    }
    // m' = b1 m + c1 g
    f.mul(mv!, mv!, b1!);
    f.mulAdd(mv!, c1!, gv!);
    // v' = b2 v + c2 g g
    f.mul(vv!, vv!, b2!);
    f.mul(t!, gv!, gv!);
    f.mulAdd(vv!, c2!, t!);
    // w' = w - step m' / (sqrt(v' vScale) + eps)
    f.mul(t!, vv!, vScale!);
    f.sqrt(t!, t!);
    f.add(t!, t!, eps!);
    f.mul(u!, mv!, step!);
    f.div(u!, u!, t!);
    f.sub(wv!, wv!, u!);
    f.storePartial(OW, 0, wv!, lanes);
    f.storePartial(OM, 0, mv!, lanes);
    f.storePartial(OV, 0, vv!, lanes);
  };
  const pointers = [W, G, M, V, OW, OM, OV];
  f.repeat(counter, Math.floor(g.size / 4), () => {
    chunk(4);
    for (const p of pointers) f.bump(p, 16);
  });
  if (g.size % 4) chunk(g.size % 4);
  return f;
}
