import {
  type Cell,
  DataError,
  errorMessage,
  hardLabel,
  isEncodedImage,
  isOriginal,
  isRawImage,
  isTabular,
  loadSharp,
  type Sample,
} from '@growset/core';

export interface ColumnInfo {
  name: string;
  kind: 'numeric' | 'categorical';
}

/**
 * A labelled data set in a compact, transferable form (structured-clone friendly, so a study's
 * worker threads receive it once): images as one uint8 block, tables as rows of cells. What
 * {@link loadLabelledDataset} returns, and what `growset train` and a study both learn from.
 */
export interface LabelledData {
  name: string;
  task: 'image' | 'tabular';
  ids: string[];
  labels: string[];
  /** Sorted class names; class indices everywhere refer to this order. */
  classes: string[];
  image?: { width: number; height: number; channels: number; pixels: Uint8Array };
  table?: { columns: ColumnInfo[]; rows: Cell[][] };
}

/** The size and channels images are decoded to; a field left out is taken from the first image. */
export interface ImageShape {
  width?: number;
  height?: number;
  /** 1 (grey) or 3 (RGB). */
  channels?: 1 | 3;
}

export interface LabelledDataReport {
  data: LabelledData;
  /** Samples left out, with the reason (not an original, no label, undecodable...). */
  excluded: { id: string; reason: string }[];
}

const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/**
 * Builds a labelled data set from samples. Only labelled originals enter it (augmentation happens
 * inside trials, so a derived sample in the input would leak or double count); everything left out
 * is reported with its reason. Encoded images are decoded with sharp to the size and channels of
 * the first image (or `image` options).
 */
export async function labelledDataFromSamples(
  samples: readonly Sample<unknown>[],
  options: { name: string; image?: ImageShape },
): Promise<LabelledDataReport> {
  const excluded: { id: string; reason: string }[] = [];
  const usable: { sample: Sample<unknown>; label: string }[] = [];
  const seen = new Set<string>();
  for (const sample of samples) {
    const label = hardLabel(sample.label);
    if (!isOriginal(sample))
      excluded.push({ id: sample.id, reason: 'not an original (augmentation happens inside trials)' });
    else if (label === undefined || label === '') excluded.push({ id: sample.id, reason: 'missing label' });
    else if (seen.has(sample.id)) excluded.push({ id: sample.id, reason: 'duplicate id' });
    else {
      seen.add(sample.id);
      usable.push({ sample, label });
    }
  }
  const first = usable[0]?.sample.payload;
  if (first === undefined) throw new DataError('empty dataset', 'no labelled originals to study');
  if (isTabular(first)) return { data: tableData(usable, options.name, excluded), excluded };
  if (isRawImage(first) || isEncodedImage(first))
    return { data: await imageData(usable, options, excluded), excluded };
  throw new DataError('unsupported payload', 'a study needs image or tabular samples');
}

function tableData(
  usable: { sample: Sample<unknown>; label: string }[],
  name: string,
  excluded: { id: string; reason: string }[],
): LabelledData {
  const rows: { id: string; label: string; values: { readonly [c: string]: Cell } }[] = [];
  for (const { sample, label } of usable) {
    if (!isTabular(sample.payload)) excluded.push({ id: sample.id, reason: 'not a table row' });
    else rows.push({ id: sample.id, label, values: sample.payload.values });
  }
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  const columns: ColumnInfo[] = names.map((column) => ({
    name: column,
    kind: rows.every(
      (r) =>
        r.values[column] === null || r.values[column] === undefined || typeof r.values[column] === 'number',
    )
      ? 'numeric'
      : 'categorical',
  }));
  return {
    name,
    task: 'tabular',
    ids: rows.map((r) => r.id),
    labels: rows.map((r) => r.label),
    classes: [...new Set(rows.map((r) => r.label))].sort(byName),
    table: { columns, rows: rows.map((r) => columns.map((c) => r.values[c.name] ?? null)) },
  };
}

async function imageData(
  usable: { sample: Sample<unknown>; label: string }[],
  options: { name: string; image?: ImageShape },
  excluded: { id: string; reason: string }[],
): Promise<LabelledData> {
  const wanted = options.image;
  let shape =
    wanted?.width !== undefined && wanted.height !== undefined && wanted.channels !== undefined
      ? { width: wanted.width, height: wanted.height, channels: wanted.channels }
      : undefined;
  const decoded: { id: string; label: string; pixels: Uint8Array }[] = [];
  for (const { sample, label } of usable) {
    const payload = sample.payload;
    try {
      if (isRawImage(payload) && payload.dtype === 'uint8') {
        shape ??= {
          width: wanted?.width ?? payload.width,
          height: wanted?.height ?? payload.height,
          channels: wanted?.channels ?? (payload.channels === 1 ? 1 : 3),
        };
        if (
          payload.width === shape.width &&
          payload.height === shape.height &&
          payload.channels === shape.channels
        ) {
          decoded.push({ id: sample.id, label, pixels: payload.data as Uint8Array });
          continue;
        }
      }
      if (!isRawImage(payload) && !isEncodedImage(payload)) {
        excluded.push({ id: sample.id, reason: 'not an image' });
        continue;
      }
      const sharp = await loadSharp();
      const input = isRawImage(payload)
        ? sharp(payload.data, {
            raw: { width: payload.width, height: payload.height, channels: payload.channels },
          })
        : sharp(payload.data, { limitInputPixels: 50_000_000 });
      if (!shape) {
        const meta = await input.metadata();
        const channels = meta.channels === 1 || meta.channels === 2 || meta.space === 'b-w' ? 1 : 3;
        shape = {
          width: wanted?.width ?? meta.width ?? 0,
          height: wanted?.height ?? meta.height ?? 0,
          channels: wanted?.channels ?? channels,
        };
      }
      const target = shape;
      let pipe = input.resize(target.width, target.height, { fit: 'fill' }).removeAlpha();
      pipe = target.channels === 1 ? pipe.toColourspace('b-w') : pipe.toColourspace('srgb');
      const { data, info } = await pipe.raw().toBuffer({ resolveWithObject: true });
      if (info.channels !== target.channels) {
        excluded.push({
          id: sample.id,
          reason: `decoded to ${info.channels} channels, expected ${target.channels}`,
        });
        continue;
      }
      decoded.push({
        id: sample.id,
        label,
        pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      });
    } catch (error) {
      excluded.push({
        id: sample.id,
        reason: `undecodable image: ${errorMessage(error)}`,
      });
    }
  }
  if (!shape || decoded.length === 0) throw new DataError('empty dataset', 'no decodable images');
  const size = shape.width * shape.height * shape.channels;
  const pixels = new Uint8Array(decoded.length * size);
  decoded.forEach((d, i) => {
    pixels.set(d.pixels, i * size);
  });
  return {
    name: options.name,
    task: 'image',
    ids: decoded.map((d) => d.id),
    labels: decoded.map((d) => d.label),
    classes: [...new Set(decoded.map((d) => d.label))].sort(byName),
    image: { width: shape.width, height: shape.height, channels: shape.channels, pixels },
  };
}
