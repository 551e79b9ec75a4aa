import type { ImageShape } from '../image/shape.ts';
import { isGeometric, type PlanOp } from './types.ts';

/** The shape of the image after `ops`: geometric ops set the size, normalize makes it float32. */
export function shapeAfter(ops: readonly PlanOp[], shape: ImageShape): ImageShape {
  let out = shape;
  for (const op of ops) {
    if (isGeometric(op)) out = { ...out, width: op.width, height: op.height };
    else if (op.op === 'normalize') out = { ...out, dtype: 'float32' };
  }
  return out;
}
