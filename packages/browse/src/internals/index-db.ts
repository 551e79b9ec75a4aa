import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@growset/core';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import { type CompiledFilter, compileFilter, type FilterColumn, parseFilter } from './filter.ts';
import {
  type BrowseRow,
  type DatasetKind,
  type LoadedDataset,
  listInputs,
  loadDataset,
  measureImages,
} from './load.ts';

/** Bumped when the index's tables change, so an old cached index is rebuilt. */
const INDEX_VERSION = 2;

/** Fixed columns, in grid order. */
const BASE_COLUMNS: readonly { name: keyof BrowseRow & string; type: 'text' | 'number' }[] = [
  { name: 'id', type: 'text' },
  { name: 'label', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'file', type: 'text' },
  { name: 'source', type: 'text' },
  { name: 'width', type: 'number' },
  { name: 'height', type: 'number' },
  { name: 'bytes', type: 'number' },
  { name: 'root', type: 'text' },
  { name: 'ops', type: 'text' },
  { name: 'depth', type: 'number' },
  { name: 'reason', type: 'text' },
  { name: 'duplicate', type: 'text' },
  { name: 'score', type: 'number' },
  { name: 'wrong', type: 'number' },
];

/** Columns a group-by or a facet may use. */
export const GROUPABLE = ['label', 'root', 'reason', 'kind', 'duplicate', 'ops'] as const;

export interface BrowseColumn extends FilterColumn {
  /** Whether any row has a value (empty columns are hidden in the grid). */
  used: boolean;
  /** A table field (CSV column), not one of the fixed columns. */
  field: boolean;
}

export interface QueryOptions {
  filter?: string;
  /** Column names, `-` for descending: `['label', '-width']`. */
  sort?: readonly string[];
  offset?: number;
  /** At most 1000 unless `unbounded`. @default 100 */
  limit?: number;
  /** Lift the 1000-row cap on `limit` (static export). @default false */
  unbounded?: boolean;
}

export type GridRow = { rid: number } & { [column: string]: string | number | null };

export interface OpenOptions {
  /** Folder for the index and thumbnails. @default a folder per dataset under the OS temp dir */
  cacheDir?: string;
  /** Read image sizes from headers when the manifest lacks them. @default true */
  measure?: boolean;
}

type SqlJs = Awaited<ReturnType<typeof initSqlJs>>;
let sqlJs: Promise<SqlJs> | undefined;
function loadSqlJs(): Promise<SqlJs> {
  const require = createRequire(import.meta.url);
  sqlJs ??= initSqlJs({ locateFile: (file: string) => require.resolve(`sql.js/dist/${file}`) });
  return sqlJs;
}

async function fingerprint(dataset: Pick<LoadedDataset, 'inputs'>, input: string): Promise<string> {
  const hash = createHash('sha256').update(`v${INDEX_VERSION}\n${input}\n`);
  for (const path of dataset.inputs) {
    const s = await stat(path);
    hash.update(`${path}\t${s.size}\t${s.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The default cache folder of a dataset path. */
export function defaultCacheDir(input: string): string {
  return join(tmpdir(), 'growset-browse', createHash('sha256').update(input).digest('hex').slice(0, 16));
}

/**
 * A dataset opened for browsing: an SQLite index (sql.js, in memory) built on first open and saved
 * to the cache folder, reused while the input files are unchanged.
 */
export class BrowseIndex {
  private constructor(
    private readonly db: Database,
    readonly kind: DatasetKind,
    readonly root: string,
    readonly columns: readonly BrowseColumn[],
    readonly notes: readonly string[],
    readonly cacheDir: string,
    /** Whether the index came from the cache. */
    readonly reused: boolean,
  ) {}

  static async open(input: string, options: OpenOptions = {}): Promise<BrowseIndex> {
    const SQL = await loadSqlJs();
    const cacheDir = options.cacheDir ?? defaultCacheDir(input);
    await mkdir(cacheDir, { recursive: true });
    // The cache key comes from the input files' sizes and times, so a reopen reads nothing else.
    const key = await fingerprint({ inputs: await listInputs(input) }, input);
    const indexPath = join(cacheDir, `index-${key}.sqlite`);
    const cached = await readFile(indexPath).catch(() => undefined);
    if (cached) {
      const db = new SQL.Database(cached);
      const info = JSON.parse(
        String(db.exec('SELECT value FROM info WHERE key = ?', ['info'])[0]?.values[0]?.[0]),
      );
      return new BrowseIndex(db, info.kind, info.root, info.columns, info.notes, cacheDir, true);
    }
    const dataset = await loadDataset(input);
    if (options.measure ?? true) await measureImages(dataset);
    const db = new SQL.Database();
    const columns: BrowseColumn[] = [
      ...BASE_COLUMNS.map((c) => ({
        name: c.name,
        sql: `"${c.name}"`,
        type: c.type,
        used: false,
        field: false,
      })),
      ...dataset.fields.map((f, i) => ({
        name: f,
        sql: `"f${i}"`,
        type: dataset.rows.every((r) => r.fields[f] === null || typeof r.fields[f] === 'number')
          ? ('number' as const)
          : ('text' as const),
        used: false,
        field: true,
      })),
    ];
    const decl = columns.map((c) => `${c.sql} ${c.type === 'number' ? 'REAL' : 'TEXT'}`).join(', ');
    db.run(`CREATE TABLE rows (rid INTEGER PRIMARY KEY, ${decl}, extra TEXT)`);
    db.run('CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT)');
    const insert = db.prepare(`INSERT INTO rows VALUES (?, ${columns.map(() => '?').join(', ')}, ?)`);
    db.run('BEGIN');
    dataset.rows.forEach((row, i) => {
      const values: SqlValue[] = [i + 1];
      for (const c of columns) {
        const v = c.field ? row.fields[c.name] : (row[c.name as keyof BrowseRow] as SqlValue);
        const value = v === undefined ? null : c.type === 'text' && v !== null ? String(v) : (v as SqlValue);
        if (value !== null) c.used = true;
        values.push(value);
      }
      values.push(JSON.stringify(row.extra));
      insert.run(values);
    });
    db.run('COMMIT');
    insert.free();
    for (const c of columns) db.run(`CREATE INDEX "i_${c.sql.slice(1, -1)}" ON rows (${c.sql})`);
    db.run('INSERT INTO info VALUES (?, ?)', [
      'info',
      JSON.stringify({ kind: dataset.kind, root: dataset.root, columns, notes: dataset.notes }),
    ]);
    await writeFileAtomic(indexPath, db.export());
    // Indexes of earlier versions of the input are stale for good.
    for (const name of await readdir(cacheDir))
      if (/^index-[0-9a-f]{16}\.sqlite$/.test(name) && join(cacheDir, name) !== indexPath)
        await rm(join(cacheDir, name), { force: true });
    return new BrowseIndex(db, dataset.kind, dataset.root, columns, dataset.notes, cacheDir, false);
  }

  /** Compiles a filter (throws `FilterSyntaxError` with a message for the person typing it). */
  compile(filter: string | undefined): CompiledFilter {
    return compileFilter(parseFilter(filter ?? ''), this.columns);
  }

  private orderBy(sort: readonly string[] | undefined): string {
    const parts: string[] = [];
    for (const key of sort ?? []) {
      const desc = key.startsWith('-');
      const col = this.columns.find((c) => c.name === (desc ? key.slice(1) : key));
      if (col) parts.push(`${col.sql} IS NULL, ${col.sql} ${desc ? 'DESC' : 'ASC'}`);
    }
    parts.push('rid ASC');
    return parts.join(', ');
  }

  private all(sql: string, params: readonly SqlValue[]): SqlValue[][] {
    const result = this.db.exec(sql, params as SqlValue[]);
    return result[0]?.values ?? [];
  }

  count(filter?: string): number {
    const { where, params } = this.compile(filter);
    return Number(this.all(`SELECT count(*) FROM rows WHERE ${where}`, params)[0]?.[0] ?? 0);
  }

  /** A page of rows matching the filter, in the sort order. */
  query(options: QueryOptions = {}): { total: number; count: number; rows: GridRow[] } {
    const { where, params } = this.compile(options.filter);
    const limit = Math.max(
      0,
      options.unbounded ? (options.limit ?? 100) : Math.min(options.limit ?? 100, 1000),
    );
    const offset = Math.max(0, options.offset ?? 0);
    const names = this.columns.map((c) => c.sql).join(', ');
    const values = this.all(
      `SELECT rid, ${names} FROM rows WHERE ${where} ORDER BY ${this.orderBy(options.sort)} LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    const rows = values.map((v) => this.toRow(v));
    const count = Number(this.all(`SELECT count(*) FROM rows WHERE ${where}`, params)[0]?.[0] ?? 0);
    return { total: this.total, count, rows };
  }

  get total(): number {
    return Number(this.all('SELECT count(*) FROM rows', [])[0]?.[0] ?? 0);
  }

  /** Counts per value of a groupable column, under the filter, largest first. */
  groups(by: string, filter?: string, limit = 50): { value: string | null; count: number }[] {
    const col = this.columns.find((c) => c.name === by && (GROUPABLE as readonly string[]).includes(c.name));
    if (!col) return [];
    const { where, params } = this.compile(filter);
    return this.all(
      `SELECT ${col.sql}, count(*) AS n FROM rows WHERE ${where} GROUP BY ${col.sql} ORDER BY n DESC, ${col.sql} LIMIT ?`,
      [...params, limit],
    ).map(([value, n]) => ({ value: value === null ? null : String(value), count: Number(n) }));
  }

  /**
   * For a study with per-item predictions: items per (true label, most common prediction), under
   * the filter; undefined when the data has no predictions.
   */
  confusion(
    filter?: string,
  ): { label: string | null; predicted: string | null; count: number }[] | undefined {
    const predicted = this.columns.find((c) => c.field && c.name === 'predicted');
    if (this.kind !== 'study' || !predicted) return undefined;
    const { where, params } = this.compile(filter);
    return this.all(
      `SELECT "label", ${predicted.sql}, count(*) FROM rows WHERE ${where} GROUP BY "label", ${predicted.sql} ORDER BY "label", ${predicted.sql}`,
      params,
    ).map(([label, p, n]) => ({
      label: label === null ? null : String(label),
      predicted: p === null ? null : String(p),
      count: Number(n),
    }));
  }

  /** One row with its extra details, or undefined. */
  row(rid: number): { row: GridRow; extra: { [key: string]: unknown } } | undefined {
    const names = this.columns.map((c) => c.sql).join(', ');
    const v = this.all(`SELECT rid, ${names}, extra FROM rows WHERE rid = ?`, [rid])[0];
    if (!v) return undefined;
    return { row: this.toRow(v), extra: JSON.parse(String(v[this.columns.length + 1] ?? '{}')) };
  }

  /** Every row sharing a root with the given one: the original and its augmented copies. */
  family(root: string, limit = 60): GridRow[] {
    const names = this.columns.map((c) => c.sql).join(', ');
    return this.all(`SELECT rid, ${names} FROM rows WHERE root = ? ORDER BY depth, id LIMIT ?`, [
      root,
      limit,
    ]).map((v) => this.toRow(v));
  }

  private toRow(v: SqlValue[]): GridRow {
    const row: GridRow = { rid: Number(v[0]) };
    this.columns.forEach((c, i) => {
      row[c.name] = v[i + 1] as string | number | null;
    });
    return row;
  }

  /** Where a row's image file is, or undefined. */
  fileOf(rid: number): string | undefined {
    const v = this.all('SELECT file FROM rows WHERE rid = ?', [rid])[0]?.[0];
    return typeof v === 'string' ? v : undefined;
  }

  close(): void {
    this.db.close();
  }
}
