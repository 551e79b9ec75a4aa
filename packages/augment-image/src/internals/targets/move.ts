import { DataError } from '@growset/core';
import type { Point } from '../geometry/matrix.ts';
import {
  boundingRect,
  clipToCanvas,
  densify,
  insideCanvas,
  type Polygon,
  polygonArea,
  rectPolygon,
} from '../geometry/polygon.ts';
import type { WarpStage } from '../geometry/warp.ts';
import { fromRect, validateBoxes } from './boxes.ts';
import type { Box, BoxFormat, DroppedBox, DroppedKeypoint, Keypoint } from './types.ts';

export interface MovedBoxes {
  boxes: Box[];
  dropped: DroppedBox[];
}

/**
 * Moves boxes through warps. Each box travels as a polygon (its four corners, densified for
 * elastic and mapped warps, which bend edges), clipped to every intermediate canvas as the image is; the
 * result is the bounding box of what is left. A box whose visible fraction (area left after
 * clipping over area of the moved box) falls below `minVisibility`, or reaches zero, is dropped
 * and reported.
 */
export function moveBoxes(
  boxes: readonly Box[],
  format: BoxFormat,
  stages: readonly WarpStage[],
  input: { width: number; height: number },
  output: { width: number; height: number },
  minVisibility: number,
): MovedBoxes {
  const rects = validateBoxes(boxes, format, input.width, input.height);
  const kept: Box[] = [];
  const dropped: DroppedBox[] = [];
  rects.forEach((rect, index) => {
    let whole: Polygon = rectPolygon(rect);
    let visible: Polygon = clipToCanvas(whole, input.width, input.height);
    for (const stage of stages) {
      if (stage.op.op === 'elastic' || stage.op.op === 'map') {
        whole = densify(whole, 1);
        visible = densify(visible, 1);
      }
      whole = whole.map(([x, y]) => stage.forward(x, y) as Point);
      visible = clipToCanvas(
        visible.map(([x, y]) => stage.forward(x, y) as Point),
        stage.op.width,
        stage.op.height,
      );
    }
    const wholeArea = polygonArea(whole);
    const visibleArea = visible.length >= 3 ? polygonArea(visible) : 0;
    const visibility = wholeArea > 0 ? Math.min(1, visibleArea / wholeArea) : 0;
    const label = boxes[index]!.label;
    if (visibleArea <= 0 || visibility < minVisibility) {
      dropped.push({ index, ...(label === undefined ? {} : { label }), visibility });
      return;
    }
    const r = boundingRect(visible);
    kept.push({ ...boxes[index]!, coords: fromRect(r, format, output.width, output.height) });
  });
  return { boxes: kept, dropped };
}

export interface MovedKeypoints {
  keypoints: Keypoint[];
  dropped: DroppedKeypoint[];
}

/** Moves keypoints through warps; one that leaves any canvas on the way is dropped and reported. */
export function moveKeypoints(
  keypoints: readonly Keypoint[],
  stages: readonly WarpStage[],
  input: { width: number; height: number },
): MovedKeypoints {
  const kept: Keypoint[] = [];
  const dropped: DroppedKeypoint[] = [];
  keypoints.forEach((kp, index) => {
    if (
      !(
        typeof kp.x === 'number' &&
        typeof kp.y === 'number' &&
        Number.isFinite(kp.x) &&
        Number.isFinite(kp.y)
      )
    ) {
      throw new DataError(
        'invalid keypoint',
        `keypoints[${index}] needs finite numbers x and y, got ${JSON.stringify(kp)}`,
      );
    }
    let p: Point = [kp.x, kp.y];
    let inside = insideCanvas(p, input.width, input.height);
    for (const stage of stages) {
      if (!inside) break;
      p = stage.forward(p[0], p[1]);
      inside = insideCanvas(p, stage.op.width, stage.op.height);
    }
    if (inside) kept.push({ ...kp, x: p[0], y: p[1] });
    else dropped.push({ index, ...(kp.label === undefined ? {} : { label: kp.label }) });
  });
  return { keypoints: kept, dropped };
}
