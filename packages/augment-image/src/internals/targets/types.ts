import type { ImagePayload, RawImage } from '@growset/core';

/**
 * Box coordinate formats, as albumentations names them:
 * - `pascal_voc`: `[x_min, y_min, x_max, y_max]` in pixels;
 * - `coco`: `[x_min, y_min, width, height]` in pixels;
 * - `yolo`: `[x_center, y_center, width, height]` as fractions of the image size.
 */
export type BoxFormat = 'pascal_voc' | 'coco' | 'yolo';

export const BOX_FORMATS: readonly BoxFormat[] = ['pascal_voc', 'coco', 'yolo'];

/** A bounding box in the target's `boxFormat`, with an optional class label. */
export interface Box {
  readonly coords: readonly [number, number, number, number];
  readonly label?: string;
}

/** A point in pixel coordinates (the centre of pixel (i, j) is (i + 0.5, j + 0.5)). */
export interface Keypoint {
  readonly x: number;
  readonly y: number;
  readonly label?: string;
}

/** An image with what moves with it: a mask, boxes and keypoints. */
export interface AugmentTarget {
  readonly image: ImagePayload;
  /** A label map (uint8, one channel, same size as the image), moved with nearest-neighbour sampling. */
  readonly mask?: RawImage;
  readonly boxes?: readonly Box[];
  /** @default 'pascal_voc' */
  readonly boxFormat?: BoxFormat;
  readonly keypoints?: readonly Keypoint[];
}

/** A box removed because too little of it stayed in the image. */
export interface DroppedBox {
  /** Index in the input `boxes`. */
  readonly index: number;
  readonly label?: string;
  /** Fraction of the moved box still inside the image. */
  readonly visibility: number;
}

/** A keypoint removed because it left the image. */
export interface DroppedKeypoint {
  readonly index: number;
  readonly label?: string;
}
