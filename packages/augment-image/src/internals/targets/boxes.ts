import { DataError } from '@growset/core';
import type { Rect } from '../geometry/polygon.ts';
import type { Box, BoxFormat } from './types.ts';

/** A box in any format as pixel corners (pascal_voc). */
export function toRect(coords: readonly number[], format: BoxFormat, width: number, height: number): Rect {
  const [a, b, c, d] = coords as [number, number, number, number];
  switch (format) {
    case 'pascal_voc':
      return { x0: a, y0: b, x1: c, y1: d };
    case 'coco':
      return { x0: a, y0: b, x1: a + c, y1: b + d };
    case 'yolo':
      return {
        x0: (a - c / 2) * width,
        y0: (b - d / 2) * height,
        x1: (a + c / 2) * width,
        y1: (b + d / 2) * height,
      };
  }
}

/** Pixel corners back to `format`. */
export function fromRect(
  r: Rect,
  format: BoxFormat,
  width: number,
  height: number,
): [number, number, number, number] {
  switch (format) {
    case 'pascal_voc':
      return [r.x0, r.y0, r.x1, r.y1];
    case 'coco':
      return [r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0];
    case 'yolo':
      return [
        (r.x0 + r.x1) / 2 / width,
        (r.y0 + r.y1) / 2 / height,
        (r.x1 - r.x0) / width,
        (r.y1 - r.y0) / height,
      ];
  }
}

/** Converts boxes between formats for an image of the given size. */
export function convertBoxes(
  boxes: readonly Box[],
  from: BoxFormat,
  to: BoxFormat,
  size: { width: number; height: number },
): Box[] {
  return boxes.map((box) => ({
    ...box,
    coords: fromRect(toRect(box.coords, from, size.width, size.height), to, size.width, size.height),
  }));
}

/**
 * Checks boxes before they are moved: four finite numbers with positive width and height. A bad
 * box is bad input: a {@link DataError} naming the box.
 */
export function validateBoxes(
  boxes: readonly Box[],
  format: BoxFormat,
  width: number,
  height: number,
): Rect[] {
  return boxes.map((box, index) => {
    const coords = box.coords as readonly unknown[];
    if (
      !Array.isArray(coords) ||
      coords.length !== 4 ||
      !coords.every((v) => typeof v === 'number' && Number.isFinite(v))
    )
      throw new DataError(
        'invalid box',
        `boxes[${index}] must be 4 finite numbers in ${format} format, got ${JSON.stringify(coords)}`,
      );
    const r = toRect(box.coords, format, width, height);
    if (!(r.x1 > r.x0 && r.y1 > r.y0))
      throw new DataError(
        'invalid box',
        `boxes[${index}] ${JSON.stringify(box.coords)} (${format}) has no area`,
      );
    return r;
  });
}
