import type { JsonObject, JsonValue } from './json.ts';

/** Where a sample (or a rejected input) came from. Every field is optional; give what you know. */
export interface SourceRef {
  /** File path, as given by the user or relative to the input folder. */
  file?: string;
  /** 1-based data row (header excluded) in a table. */
  row?: number;
  /** 1-based physical line in a text file. */
  line?: number;
  /** Column name in a table. */
  column?: string;
  /** URL the sample or asset was fetched from. */
  url?: string;
}

/** One operation in a sample's history. */
export interface LineageStep {
  /** Operation name, e.g. `augment`, `smote`, `mixup`. */
  op: string;
  /** Version of the operation's parameter format. */
  version?: number;
  /** Parameters used, sufficient to replay the operation. */
  params?: JsonValue;
  /** Ids of the samples this step consumed. */
  parents: readonly string[];
  /** Ids of the root originals these parents descend from. */
  roots: readonly string[];
}

/** A soft label: probability (or weight) per class name. */
export interface SoftLabel {
  readonly [className: string]: number;
}

/** A class label: a class name, or a soft label for mixed samples. */
export type Label = string | SoftLabel;

/**
 * The unit that flows through a pipeline.
 *
 * `lineage` lists the operations that produced the sample from its root original(s); an original
 * has an empty lineage and is its own root.
 */
export interface Sample<P = unknown> {
  readonly id: string;
  readonly label?: Label;
  readonly payload: P;
  readonly source?: SourceRef;
  readonly lineage: readonly LineageStep[];
  readonly meta?: JsonObject;
}

/** Encoded image bytes (PNG, JPEG, WebP, GIF, TIFF, AVIF...). */
export interface EncodedImage {
  readonly kind: 'encoded';
  readonly data: Uint8Array;
  /** Detected or declared format (`png`, `jpeg`, ...), when known. */
  readonly format?: string;
}

export type PixelDType = 'uint8' | 'uint16' | 'float32';

/** Decoded pixels, row-major, channels interleaved (HWC). */
export interface RawImage {
  readonly kind: 'raw';
  readonly data: Uint8Array | Uint16Array | Float32Array;
  readonly width: number;
  readonly height: number;
  /** 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  readonly channels: 1 | 2 | 3 | 4;
  readonly dtype: PixelDType;
}

export type ImagePayload = EncodedImage | RawImage;

/** A cell in a table row. `null` is a missing value. */
export type Cell = string | number | boolean | null;

/** A table row: named values. */
export interface TabularPayload {
  readonly kind: 'tabular';
  readonly values: { readonly [column: string]: Cell };
}

export type ImageSample = Sample<ImagePayload>;
export type TabularSample = Sample<TabularPayload>;

/** Anything with an id: a sample, or a reference to a rejected input that never became one. */
export interface Identified {
  readonly id: string;
}

/** The ids of the originals a sample descends from (itself, for an original). */
export function rootIds(sample: Pick<Sample, 'id' | 'lineage'>): readonly string[] {
  const last = sample.lineage[sample.lineage.length - 1];
  return last === undefined ? [sample.id] : last.roots;
}

/** Whether a sample is an original (not produced from other samples). */
export function isOriginal(sample: Pick<Sample, 'lineage'>): boolean {
  return sample.lineage.length === 0;
}

export interface DeriveOptions<P> {
  id: string;
  op: string;
  version?: number;
  params?: JsonValue;
  payload: P;
  /** Label of the new sample; defaults to the first parent's label. */
  label?: Label;
  meta?: JsonObject;
}

/**
 * Creates a sample derived from one or more parents. The child's lineage is the first parent's
 * lineage plus one step naming all parents; its roots are the union of the parents' roots, so a
 * child of a test-set original is always recognisable.
 */
export function derive<P>(
  parents: Sample<unknown> | readonly Sample<unknown>[],
  options: DeriveOptions<P>,
): Sample<P> {
  const list: readonly Sample<unknown>[] = Array.isArray(parents)
    ? (parents as readonly Sample<unknown>[])
    : [parents as Sample<unknown>];
  const first = list[0];
  if (first === undefined) throw new TypeError('derive() needs at least one parent sample');
  const roots = new Set<string>();
  for (const parent of list) for (const root of rootIds(parent)) roots.add(root);
  const step: LineageStep = {
    op: options.op,
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.params === undefined ? {} : { params: options.params }),
    parents: list.map((p) => p.id),
    roots: [...roots],
  };
  const label = options.label ?? first.label;
  const meta = options.meta ?? first.meta;
  return {
    id: options.id,
    ...(label === undefined ? {} : { label }),
    payload: options.payload,
    ...(first.source === undefined ? {} : { source: first.source }),
    lineage: [...first.lineage, step],
    ...(meta === undefined ? {} : { meta }),
  };
}

/** The class of a label: itself for a hard label, the most probable class for a soft one. */
export function hardLabel(label: Label | undefined): string | undefined {
  if (label === undefined || typeof label === 'string') return label;
  let best: string | undefined;
  let bestWeight = Number.NEGATIVE_INFINITY;
  for (const [name, weight] of Object.entries(label)) {
    if (weight > bestWeight) {
      best = name;
      bestWeight = weight;
    }
  }
  return best;
}

/** Type guards for payloads. */
export function isEncodedImage(payload: unknown): payload is EncodedImage {
  return (
    typeof payload === 'object' && payload !== null && (payload as { kind?: unknown }).kind === 'encoded'
  );
}
export function isRawImage(payload: unknown): payload is RawImage {
  return typeof payload === 'object' && payload !== null && (payload as { kind?: unknown }).kind === 'raw';
}
export function isTabular(payload: unknown): payload is TabularPayload {
  return (
    typeof payload === 'object' && payload !== null && (payload as { kind?: unknown }).kind === 'tabular'
  );
}

/** Image formats recognised by their first bytes. */
export function sniffImageFormat(data: Uint8Array): string | undefined {
  const b = data;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'webp';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
  if (
    b.length >= 4 &&
    ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a) || (b[0] === 0x4d && b[1] === 0x4d && b[3] === 0x2a))
  )
    return 'tiff';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (brand.startsWith('hei') || brand === 'mif1') return 'heif';
  }
  return undefined;
}

function ascii(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}

/** The usual file extension for an image format. */
export function extensionForFormat(format: string | undefined): string {
  switch (format) {
    case 'jpeg':
      return 'jpg';
    case undefined:
      return 'bin';
    default:
      return format;
  }
}
