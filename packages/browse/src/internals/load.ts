import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { IMAGE_EXTENSIONS, type JsonValue, loadSharp } from '@growset/core';

/** What kind of input was opened. */
export type DatasetKind = 'imagefolder' | 'manifest' | 'csv' | 'quarantine' | 'study';

/** One row of the grid: a sample, a quarantined input, or (for a study) a trial or test item. */
export interface BrowseRow {
  id: string;
  /** `sample`, `quarantined`, `trial`, `test item`. */
  kind: string;
  label: string | null;
  /** Image file, relative to the dataset root (served and thumbnailed). */
  file: string | null;
  /** The file or URL the sample came from. */
  source: string | null;
  width: number | null;
  height: number | null;
  bytes: number | null;
  /** The root original's id (its own id for an original). */
  root: string | null;
  /** The operation chain, e.g. `flip > rotate(angle=12)`. */
  ops: string | null;
  /** Number of operations since the root. */
  depth: number;
  reason: string | null;
  duplicate: string | null;
  /** Label-issue score (1 - self-confidence), higher is more suspicious. */
  score: number | null;
  /** For a study test item: trials that got it wrong. */
  wrong: number | null;
  /** Table fields (CSV columns, or study trial fields). */
  fields: { [name: string]: string | number | null };
  /** Everything else shown on the sample page: lineage, meta, quarantine detail, per-variant counts. */
  extra: { [key: string]: JsonValue };
}

export interface LoadedDataset {
  kind: DatasetKind;
  /** Folder files are served from: nothing outside it is ever read for the page. */
  root: string;
  /** Extra folders whose files rows may point at (an augment run's sibling quarantine folder). */
  rows: BrowseRow[];
  /** Table field names, in order. */
  fields: string[];
  /** Things a person should know (missing per-item predictions, unreadable lines). */
  notes: string[];
  /** Input files read (their sizes and times key the cached index). */
  inputs: string[];
}

const isImage = (name: string) => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase());

function emptyRow(id: string, kind: string): BrowseRow {
  return {
    id,
    kind,
    label: null,
    file: null,
    source: null,
    width: null,
    height: null,
    bytes: null,
    root: id,
    ops: null,
    depth: 0,
    reason: null,
    duplicate: null,
    score: null,
    wrong: null,
    fields: {},
    extra: {},
  };
}

type Json = { [key: string]: JsonValue };
const obj = (v: JsonValue | undefined): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
const str = (v: JsonValue | undefined): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
const num = (v: JsonValue | undefined): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : null;

function labelText(label: JsonValue | undefined): string | null {
  if (typeof label === 'string' || typeof label === 'number') return String(label);
  const soft = obj(label);
  if (!soft) return null;
  let best: string | null = null;
  let weight = -1;
  for (const [name, w] of Object.entries(soft)) {
    if (typeof w === 'number' && w > weight) {
      best = name;
      weight = w;
    }
  }
  return best;
}

function sourceText(source: JsonValue | undefined): string | null {
  const s = obj(source);
  if (!s) return null;
  const where = str(s.url) ?? str(s.file);
  if (where === null) return null;
  return s.row !== undefined ? `${where}#row${s.row}` : s.line !== undefined ? `${where}#L${s.line}` : where;
}

function paramsText(params: JsonValue | undefined): string {
  const p = obj(params);
  if (!p) return params === undefined || params === null ? '' : JSON.stringify(params);
  const parts = Object.entries(p).map(([k, v]) => {
    const text = typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : JSON.stringify(v);
    return `${k}=${text.length > 24 ? `${text.slice(0, 21)}...` : text}`;
  });
  return parts.join(', ');
}

/** Fills lineage-derived columns from a manifest entry's `lineage`. */
function applyLineage(row: BrowseRow, lineage: JsonValue | undefined): void {
  if (!Array.isArray(lineage) || lineage.length === 0) return;
  const steps = lineage.map((s) => obj(s) ?? {});
  row.depth = steps.length;
  row.ops = steps
    .map((s) => {
      const params = paramsText(s.params);
      return `${str(s.op) ?? '?'}${params ? `(${params})` : ''}`;
    })
    .join(' > ');
  const roots = steps[steps.length - 1]?.roots;
  if (Array.isArray(roots) && roots.length > 0) row.root = roots.map((r) => String(r)).join('+');
  row.extra.lineage = lineage;
}

function applyMeta(row: BrowseRow, meta: Json | undefined): void {
  if (!meta) return;
  row.width = num(meta.width) ?? row.width;
  row.height = num(meta.height) ?? row.height;
  row.duplicate = str(meta.duplicateGroup) ?? str(meta.dhash) ?? str(meta.phash) ?? row.duplicate;
  const issue = obj(meta.suspiciousLabel);
  const confidence = num(issue?.selfConfidence);
  row.score = num(meta.labelIssueScore) ?? (confidence === null ? row.score : 1 - confidence);
  row.extra.meta = meta;
}

async function* jsonLines(path: string, notes: string[]): AsyncGenerator<{ line: number; value: Json }> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  let bad = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    try {
      const value = obj(JSON.parse(text) as JsonValue);
      if (value) yield { line, value };
      else bad += 1;
    } catch {
      bad += 1;
    }
  }
  if (bad > 0) notes.push(`${basename(path)}: ${bad} line(s) are not JSON objects and are not shown`);
}

/** Rows of a JSONL manifest; `file` paths resolve against the manifest's folder. */
async function readManifestRows(path: string, root: string, notes: string[]): Promise<BrowseRow[]> {
  const rows: BrowseRow[] = [];
  const base = dirname(path);
  for await (const { line, value } of jsonLines(path, notes)) {
    const row = emptyRow(str(value.id) ?? `${basename(path)}#L${line}`, 'sample');
    row.label = labelText(value.label);
    const file = str(value.file);
    if (file !== null) row.file = relative(root, resolve(base, file)).split(sep).join('/');
    row.source = sourceText(value.source) ?? row.file;
    applyLineage(row, value.lineage);
    applyMeta(row, obj(value.meta));
    rows.push(row);
  }
  return rows;
}

/** Rows of a `quarantine.jsonl` (one per rejected input, with its reason and saved bytes). */
async function readQuarantineRows(path: string, root: string, notes: string[]): Promise<BrowseRow[]> {
  const rows: BrowseRow[] = [];
  const base = dirname(path);
  for await (const { line, value } of jsonLines(path, notes)) {
    const row = emptyRow(str(value.id) ?? `${basename(path)}#L${line}`, 'quarantined');
    row.label = str(value.label);
    row.reason = str(value.reason);
    row.source = sourceText(value.source);
    const file = str(value.file);
    if (file !== null) row.file = relative(root, resolve(base, file)).split(sep).join('/');
    row.extra.quarantine = value;
    rows.push(row);
  }
  return rows;
}

/** Rows of an ImageFolder with no manifest: `<class>/<file>`. */
async function walkImageFolder(dir: string, root: string): Promise<BrowseRow[]> {
  const rows: BrowseRow[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const names = (await readdir(join(dir, entry.name))).filter(isImage).sort();
    for (const name of names) {
      const rel = relative(root, join(dir, entry.name, name))
        .split(sep)
        .join('/');
      const row = emptyRow(`${entry.name}/${name.replace(/\.[^.]+$/, '')}`, 'sample');
      row.label = entry.name;
      row.file = rel;
      row.source = rel;
      rows.push(row);
    }
  }
  return rows;
}

/** A minimal RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

async function readCsvRows(path: string, root: string): Promise<{ rows: BrowseRow[]; fields: string[] }> {
  const table = parseCsv(await readFile(path, 'utf8'));
  const header = table[0] ?? [];
  const fields = header.map((h, i) => h.trim() || `column${i + 1}`);
  const numeric = fields.map((_, c) =>
    table.slice(1).every((r) => r[c] === undefined || r[c] === '' || Number.isFinite(Number(r[c]))),
  );
  const lower = fields.map((f) => f.toLowerCase());
  const idAt = lower.indexOf('id');
  const labelAt = ['label', 'class', 'target', 'y'].map((n) => lower.indexOf(n)).find((i) => i >= 0) ?? -1;
  const rel = relative(root, path).split(sep).join('/');
  const rows = table.slice(1).map((cells, r) => {
    const row = emptyRow(idAt >= 0 && cells[idAt] ? cells[idAt]! : `row${r + 1}`, 'sample');
    if (labelAt >= 0) row.label = cells[labelAt] ?? null;
    row.source = `${rel}#row${r + 1}`;
    if (cells.length !== fields.length)
      row.reason = `ragged row (${cells.length} of ${fields.length} fields)`;
    fields.forEach((f, c) => {
      const v = cells[c];
      row.fields[f] = v === undefined || v === '' ? null : numeric[c] ? Number(v) : v;
    });
    return row;
  });
  return { rows, fields };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * A study trial's compact per-item predictions (`testPredictions`: one base-36 class index per
 * test item, space-separated beyond 36 classes, in the order of its split's `testIds`), as
 * `{ id, label, predicted }` records; empty when the results do not hold them.
 */
function studyTrialPredictions(
  results: { [key: string]: JsonValue },
  trial: { [key: string]: JsonValue },
): JsonValue[] {
  const encoded = str(trial.testPredictions);
  const config = obj(results.config);
  const classes = Array.isArray(config?.classes) ? config.classes.map((c) => str(c) ?? '') : [];
  if (encoded === null || classes.length === 0) return [];
  const split = num(trial.split) ?? 0;
  const pick = (key: string, first: string): JsonValue[] => {
    const perSplit = results[key];
    if (split > 0 && Array.isArray(perSplit)) {
      const ofSplit = perSplit[split];
      return Array.isArray(ofSplit) ? ofSplit : [];
    }
    const list = results[first];
    return Array.isArray(list) ? list : [];
  };
  const ids = pick('testSplitIds', 'testIds');
  const labels = pick('testSplitLabels', 'testLabels');
  const parts = classes.length <= 36 ? [...encoded] : encoded.length === 0 ? [] : encoded.split(' ');
  if (parts.length !== ids.length) return [];
  return parts.map((part, k) => ({
    id: str(ids[k]),
    label: str(labels[k] ?? null),
    predicted: classes[Number.parseInt(part, 36)] ?? null,
  }));
}

/** A study's `results.json`: one row per trial; per test item when the trials record predictions. */
async function readStudyRows(
  path: string,
  notes: string[],
): Promise<{ rows: BrowseRow[]; fields: string[] }> {
  const results = obj(JSON.parse(await readFile(path, 'utf8')) as JsonValue) ?? {};
  const trials = Array.isArray(results.trials) ? results.trials.map((t) => obj(t) ?? {}) : [];
  const items = new Map<string, BrowseRow>();
  for (const trial of trials) {
    const predictions = Array.isArray(trial.predictions)
      ? trial.predictions
      : studyTrialPredictions(results, trial);
    for (const p of predictions) {
      const pred = obj(p);
      const id = str(pred?.id);
      if (!pred || id === null) continue;
      let row = items.get(id);
      if (!row) {
        row = emptyRow(id, 'test item');
        row.label = str(pred.label);
        row.file = str(pred.file);
        row.wrong = 0;
        row.extra.wrongByVariant = {};
        row.extra.predictions = [];
        items.set(id, row);
      }
      const variant = str(trial.variant) ?? '?';
      const predicted = str(pred.predicted);
      (row.extra.predictions as JsonValue[]).push({ variant, trial: str(trial.key), predicted });
      if (predicted !== row.label) {
        row.wrong = (row.wrong ?? 0) + 1;
        const by = row.extra.wrongByVariant as { [v: string]: number };
        by[variant] = (by[variant] ?? 0) + 1;
        row.fields[`wrong:${variant}`] = by[variant]!;
      }
    }
  }
  if (items.size > 0) {
    const fields = [...new Set([...items.values()].flatMap((r) => Object.keys(r.fields)))].sort();
    for (const r of items.values()) {
      for (const f of fields) r.fields[f] ??= 0;
      // The prediction most trials made (ties: the first seen): the confusion matrix's column.
      const votes = new Map<string, number>();
      for (const p of r.extra.predictions as { predicted: string | null }[])
        if (p.predicted !== null) votes.set(p.predicted, (votes.get(p.predicted) ?? 0) + 1);
      let best: string | null = null;
      for (const [value, n] of votes) if (best === null || n > votes.get(best)!) best = value;
      r.fields.predicted = best;
    }
    return { rows: [...items.values()], fields: ['predicted', ...fields] };
  }
  notes.push(
    'The trials in results.json hold no per-item predictions (trial.testPredictions with testIds and testLabels), so this view lists trials; per test item errors and the confusion matrix need them.',
  );
  const fields = [
    'variant',
    'trainSize',
    'seed',
    'ok',
    'testAccuracy',
    'trainAccuracy',
    'epochs',
    'wallTimeMs',
  ];
  const rows = trials.map((t, i) => {
    const row = emptyRow(str(t.key) ?? `trial${i + 1}`, 'trial');
    row.label = str(t.variant);
    row.reason = str(t.error);
    row.fields = {
      variant: str(t.variant),
      trainSize: num(t.trainSize),
      seed: num(t.seed),
      ok: t.ok === true ? 'yes' : 'no',
      testAccuracy: num(obj(t.test)?.accuracy),
      trainAccuracy: num(obj(t.train)?.accuracy),
      epochs: num(t.epochs),
      wallTimeMs: num(t.wallTimeMs),
    };
    row.extra.trial = t;
    return row;
  });
  return { rows, fields };
}

/**
 * Opens any growset input: an ImageFolder (with or without `manifest.jsonl`), a CSV file, a JSONL
 * manifest or quarantine file, or a scrape, clean, augment or study output folder.
 */
export async function loadDataset(input: string): Promise<LoadedDataset> {
  const path = resolve(input);
  const info = await stat(path);
  const notes: string[] = [];
  if (info.isFile()) {
    const root = dirname(path);
    const name = basename(path).toLowerCase();
    if (name.endsWith('.csv')) {
      const { rows, fields } = await readCsvRows(path, root);
      return { kind: 'csv', root, rows, fields, notes, inputs: [path] };
    }
    if (name.endsWith('.json')) {
      const { rows, fields } = await readStudyRows(path, notes);
      return { kind: 'study', root, rows, fields, notes, inputs: [path] };
    }
    if (name === 'quarantine.jsonl') {
      return {
        kind: 'quarantine',
        root,
        rows: await readQuarantineRows(path, root, notes),
        fields: [],
        notes,
        inputs: [path],
      };
    }
    return {
      kind: 'manifest',
      root,
      rows: await readManifestRows(path, root, notes),
      fields: [],
      notes,
      inputs: [path],
    };
  }
  const root = path;
  if (await exists(join(root, 'results.json'))) {
    const { rows, fields } = await readStudyRows(join(root, 'results.json'), notes);
    return { kind: 'study', root, rows, fields, notes, inputs: [join(root, 'results.json')] };
  }
  // scrape and clean-images write <out>/images + <out>/quarantine.jsonl; augment writes <out> and
  // <out>.quarantine beside it (not served: outside the folder given).
  const imagesDir = (await exists(join(root, 'images'))) ? join(root, 'images') : root;
  const inputs: string[] = [];
  let rows: BrowseRow[];
  const manifest = join(imagesDir, 'manifest.jsonl');
  if (await exists(manifest)) {
    rows = await readManifestRows(manifest, root, notes);
    inputs.push(manifest);
  } else {
    rows = await walkImageFolder(imagesDir, root);
    inputs.push(imagesDir);
  }
  const quarantine = join(root, 'quarantine.jsonl');
  if (await exists(quarantine)) {
    rows.push(...(await readQuarantineRows(quarantine, root, notes)));
    inputs.push(quarantine);
  } else if (await exists(`${root}.quarantine/quarantine.jsonl`)) {
    notes.push(
      `Quarantine records in ${basename(root)}.quarantine are outside this folder: browse that folder to see them`,
    );
  }
  return { kind: 'imagefolder', root, rows, fields: [], notes, inputs };
}

/**
 * The files whose sizes and times decide whether a cached index is still valid, found without
 * reading them: the same choice as {@link loadDataset} (class folders of a plain ImageFolder count).
 */
export async function listInputs(input: string): Promise<string[]> {
  const path = resolve(input);
  if ((await stat(path)).isFile()) return [path];
  if (await exists(join(path, 'results.json'))) return [join(path, 'results.json')];
  const imagesDir = (await exists(join(path, 'images'))) ? join(path, 'images') : path;
  const inputs: string[] = [];
  if (await exists(join(imagesDir, 'manifest.jsonl'))) inputs.push(join(imagesDir, 'manifest.jsonl'));
  else {
    inputs.push(imagesDir);
    for (const entry of await readdir(imagesDir, { withFileTypes: true }))
      if (entry.isDirectory() && !entry.name.startsWith('.')) inputs.push(join(imagesDir, entry.name));
  }
  if (await exists(join(path, 'quarantine.jsonl'))) inputs.push(join(path, 'quarantine.jsonl'));
  return inputs;
}

/** Reads image sizes (header only) for rows that lack them. */
export async function measureImages(dataset: LoadedDataset, concurrency = 8): Promise<void> {
  const todo = dataset.rows.filter((r) => r.file !== null && (r.width === null || r.bytes === null));
  if (todo.length === 0) return;
  const sharp = await loadSharp();
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const row = todo[next++]!;
      const path = join(dataset.root, row.file!);
      try {
        row.bytes = (await stat(path)).size;
        if (row.width === null && isImage(path)) {
          const meta = await sharp(path).metadata();
          row.width = meta.width ?? null;
          row.height = meta.height ?? null;
        }
      } catch {
        // A missing or unreadable file keeps its empty size; the sample page says why.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
