import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  DataError,
  errorMessage,
  hardLabel,
  type LabeledData,
  loadSharp,
  MemoryQuarantine,
  mapStage,
  pipeline,
  readImageFolder,
  tapStage,
} from '@growset/core';

/** A labeled data set read for training, with where it came from. */
export interface LoadedDataset {
  data: LabeledData;
  kind: 'images' | 'csv';
  /** Feature names (CSV columns) or `pixels`. */
  features: string[];
  /** Rows or files skipped, with why. */
  skipped: { where: string; reason: string }[];
}

export interface LoadDatasetOptions {
  /** CSV label column. @default 'label' */
  label?: string;
  /** Images are resized to this square side (keeps the first image's size when absent). */
  imageSize?: number;
  /** Images: `grey` (1 channel) or `rgb` (3). @default 'grey' */
  color?: 'grey' | 'rgb';
}

/** Reads an ImageFolder (`root/<class>/<image>`) or a CSV file (numeric columns + a label column). */
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<LoadedDataset> {
  const info = await stat(path).catch((error: unknown) => {
    throw new DataError('missing input', `Cannot read \`${path}\`: ${errorMessage(error)}`);
  });
  if (info.isDirectory()) return loadImageFolder(path, options);
  if (extname(path).toLowerCase() === '.csv') return loadCsv(path, options.label ?? 'label');
  throw new DataError('unsupported input', `\`${path}\` is neither a folder (ImageFolder) nor a .csv file`);
}

async function loadImageFolder(dir: string, options: LoadDatasetOptions): Promise<LoadedDataset> {
  const sharp = await loadSharp();
  const channels = options.color === 'rgb' ? 3 : 1;
  const rows: { pixels: Float32Array; label: string }[] = [];
  let side = options.imageSize;
  const quarantine = new MemoryQuarantine();
  const summary = await pipeline(
    readImageFolder(dir),
    mapStage(
      'decode',
      async (sample) => {
        const payload = sample.payload;
        const input = sharp(payload.data);
        try {
          if (side === undefined) {
            const meta = await input.clone().metadata();
            side = Math.max(meta.width ?? 0, meta.height ?? 0);
          }
          const resized = input.resize(side, side, { fit: 'fill' });
          const { data, info } = await (channels === 1 ? resized.greyscale() : resized.removeAlpha())
            .raw()
            .toBuffer({ resolveWithObject: true });
          const pixels = new Float32Array(side * side * channels);
          for (let i = 0; i < side * side; i++) {
            for (let c = 0; c < channels; c++)
              pixels[i * channels + c] = data[i * info.channels + Math.min(c, info.channels - 1)]! / 255;
          }
          return { ...sample, payload: pixels };
        } catch (error) {
          throw new DataError('undecodable image', errorMessage(error), { cause: error });
        }
      },
      { concurrency: 2 },
    ),
    tapStage('collect', (sample) => {
      rows.push({ pixels: sample.payload, label: hardLabel(sample.label) ?? '' });
    }),
  ).run({ name: 'read-dataset', quarantine });
  const skipped = quarantine.records.map((r) => ({
    where: r.source?.file ?? r.id,
    reason: r.detail ? `${r.reason}: ${r.detail}` : r.reason,
  }));
  if (rows.length === 0) {
    throw new DataError(
      'empty training set',
      `No readable images under \`${dir}\` (expected ${dir}/<class>/<image>; ${summary.filtered} filtered, ${summary.quarantined} quarantined)`,
    );
  }
  const classes = [...new Set(rows.map((r) => r.label))].sort((a, b) =>
    a.localeCompare(b, 'en', { numeric: true }),
  );
  const size = (side ?? 0) * (side ?? 0) * channels;
  const x = new Float32Array(rows.length * size);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(r.pixels, i * size);
    y[i] = classes.indexOf(r.label);
  });
  return {
    data: { x, y, classes, featureShape: [side ?? 0, side ?? 0, channels] },
    kind: 'images',
    features: ['pixels'],
    skipped,
  };
}

/** Splits one CSV line (RFC 4180 quotes). */
function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

async function loadCsv(file: string, labelColumn: string): Promise<LoadedDataset> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[0] ?? '').map((h) => h.trim());
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) {
    throw new DataError(
      'missing label column',
      `${file}: no column \`${labelColumn}\` (columns: ${header.join(', ')}); pass --label COLUMN`,
    );
  }
  const featureColumns = header.map((name, i) => ({ name, i })).filter((c) => c.i !== labelIndex);
  if (featureColumns.length === 0)
    throw new DataError('no features', `${file}: only the label column \`${labelColumn}\``);
  const skipped: LoadedDataset['skipped'] = [];
  const values: number[][] = [];
  const labels: string[] = [];
  for (let row = 1; row < lines.length; row++) {
    const line = lines[row]!;
    if (line.trim() === '') continue;
    const cells = splitCsvLine(line);
    const where = `${file} row ${row + 1}`;
    if (cells.length !== header.length) {
      skipped.push({ where, reason: `has ${cells.length} fields, the header has ${header.length}` });
      continue;
    }
    const label = cells[labelIndex]!.trim();
    if (label === '') {
      skipped.push({ where, reason: `empty label in column \`${labelColumn}\`` });
      continue;
    }
    const parsed: number[] = [];
    let bad: string | undefined;
    for (const c of featureColumns) {
      const raw = cells[c.i]!.trim();
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v)) {
        bad = `column \`${c.name}\` is ${raw === '' ? 'empty' : `not a finite number (\`${raw}\`)`}`;
        break;
      }
      parsed.push(v);
    }
    if (bad) {
      skipped.push({ where, reason: bad });
      continue;
    }
    values.push(parsed);
    labels.push(label);
  }
  if (values.length === 0)
    throw new DataError(
      'empty training set',
      `${file}: no usable rows${skipped[0] ? ` (first problem: ${skipped[0].where}: ${skipped[0].reason})` : ''}`,
    );
  const classes = [...new Set(labels)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const d = featureColumns.length;
  const x = new Float32Array(values.length * d);
  values.forEach((row, i) => {
    x.set(row, i * d);
  });
  const y = Int32Array.from(labels, (l) => classes.indexOf(l));
  return {
    data: { x, y, classes, featureShape: [d] },
    kind: 'csv',
    features: featureColumns.map((c) => c.name),
    skipped,
  };
}
