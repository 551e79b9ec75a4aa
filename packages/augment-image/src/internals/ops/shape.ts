import { warpStages } from '../geometry/warp.ts';
import type { ImageShape } from '../image/shape.ts';
import { moveBoxes } from '../targets/move.ts';
import { type GeometricOp, isGeometric, type PlanOp } from './types.ts';

/**
 * The shape of the image after `ops`: geometric ops set the size (and move the boxes, when the
 * shape carries them), normalize makes it float32.
 */
export function shapeAfter(ops: readonly PlanOp[], shape: ImageShape): ImageShape {
  let out = shape;
  for (const op of ops) {
    if (isGeometric(op)) out = { ...out, width: op.width, height: op.height };
    else if (op.op === 'normalize') out = { ...out, dtype: 'float32' };
  }
  if (shape.boxes && shape.boxes.length > 0 && ops.some(isGeometric)) {
    const geometric = ops.filter(isGeometric) as GeometricOp[];
    const moved = moveBoxes(
      shape.boxes.map((b) => ({ coords: [b.x0, b.y0, b.x1, b.y1] as const })),
      'pascal_voc',
      warpStages(geometric, shape.width, shape.height),
      { width: shape.width, height: shape.height },
      { width: out.width, height: out.height },
      0,
    );
    out = { ...out, boxes: moved.boxes.map(({ coords: [x0, y0, x1, y1] }) => ({ x0, y0, x1, y1 })) };
  }
  return out;
}
