import type { ProgressEvent, ProgressListener, StageProgress } from '@growset/core';

export interface ProgressRenderer {
  listener: ProgressListener;
  /**
   * Writes log text without tearing the bars (on a terminal the live lines are cleared, the text
   * written, the lines drawn again); elsewhere, writes it as it is.
   */
  write(text: string): void;
  /** Draws the last state, restores the cursor. */
  stop(): void;
}

/**
 * On a terminal, one overall bar per run and per task with rate and ETA wherever the total is
 * known up front (a source that counted its files or the bytes of its file, a study's trials, a
 * crawl's page budget), with the per-stage counts beside it, redrawn in place at most
 * `fps` times a second. Elsewhere, plain lines (at most one per item every `intervalMs`, plus a
 * final line per stage), as before.
 */
export function createProgressRenderer(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  options: { intervalMs?: number; tty?: boolean; fps?: number } = {},
): ProgressRenderer {
  const tty = options.tty ?? Boolean(stream.isTTY);
  return tty ? barRenderer(stream, options.fps ?? 10) : lineRenderer(stream, options.intervalMs ?? 2000);
}

function stageText(p: StageProgress): string {
  const parts = [`out ${p.out}`];
  if (p.created) parts.push(`created ${p.created}`);
  if (p.filtered) parts.push(`filtered ${p.filtered}`);
  if (p.quarantined) parts.push(`quarantined ${p.quarantined}`);
  return parts.join(', ');
}

function lineRenderer(stream: NodeJS.WritableStream, intervalMs: number): ProgressRenderer {
  const last = new Map<string, number>();
  const write = (line: string) => stream.write(`${line}\n`);
  const due = (key: string) => {
    const now = performance.now();
    if (now - (last.get(key) ?? Number.NEGATIVE_INFINITY) < intervalMs) return false;
    last.set(key, now);
    return true;
  };
  const listener = (event: ProgressEvent) => {
    switch (event.type) {
      case 'run-start':
        write(`[${event.run}] start: ${event.stages.join(' -> ')}`);
        break;
      case 'stage-progress': {
        const p = event.progress;
        if (!due(`${event.run}/${p.stage}`)) break;
        const done = p.in || p.out;
        const of = p.total ? `/${p.total} (${Math.round((100 * Math.min(done, p.total)) / p.total)}%)` : '';
        write(`[${event.run}] ${p.stage}: ${done}${of} ${stageText(p)}${p.message ? ` - ${p.message}` : ''}`);
        break;
      }
      case 'run-end':
        for (const p of event.stages) write(`[${event.run}] ${p.stage}: in ${p.in}, ${stageText(p)}`);
        write(`[${event.run}] ${event.ok ? 'done' : 'failed'}`);
        break;
      case 'task': {
        const finished = event.total !== undefined && event.done >= event.total;
        if (!finished && !due(`task/${event.task}`)) break;
        const of = event.total ? `/${event.total}` : '';
        write(`[${event.task}] ${event.done}${of}${event.message ? ` - ${event.message}` : ''}`);
        break;
      }
    }
  };
  return { listener, write: (text) => stream.write(text), stop() {} };
}

/** What the bars show: every run and task seen so far, in order of appearance. */
export interface ProgressState {
  runs: Map<string, RunView>;
  tasks: Map<string, TaskView>;
}

interface Measure {
  /** When the first progress was seen (ms), and how much was done then (a resumed study's trials). */
  startedAt: number;
  startDone: number;
}

export interface RunView extends Measure {
  run: string;
  /** Stage names in pipeline order (the first is the source). */
  names: string[];
  stages: Map<string, StageProgress>;
  /** `true`/`false` once the run ended (ok or failed). */
  ended?: boolean;
  ok?: boolean;
}

export interface TaskView extends Measure {
  task: string;
  done: number;
  total?: number;
  message?: string;
}

export function createProgressState(): ProgressState {
  return { runs: new Map(), tasks: new Map() };
}

/** The overall progress of a run: its source's items (or bytes) against the total it knows. */
function runDone(view: RunView): { done: number; total?: number; unit: string } {
  const source = view.stages.get(view.names[0] ?? '');
  if (!source) return { done: 0, unit: 'items' };
  if (source.total === undefined && source.totalBytes !== undefined)
    return { done: source.bytes ?? 0, total: source.totalBytes, unit: 'bytes' };
  return { done: source.in, ...(source.total === undefined ? {} : { total: source.total }), unit: 'items' };
}

/** Folds one event into the state (`now`: milliseconds, e.g. `performance.now()`). */
export function applyProgressEvent(state: ProgressState, event: ProgressEvent, now: number): ProgressState {
  switch (event.type) {
    case 'run-start':
      state.runs.set(event.run, {
        run: event.run,
        names: [...event.stages],
        stages: new Map(),
        startedAt: now,
        startDone: 0,
      });
      break;
    case 'stage-progress': {
      let view = state.runs.get(event.run);
      if (!view) {
        view = { run: event.run, names: [], stages: new Map(), startedAt: now, startDone: 0 };
        state.runs.set(event.run, view);
      }
      if (!view.names.includes(event.progress.stage)) view.names.push(event.progress.stage);
      view.stages.set(event.progress.stage, event.progress);
      break;
    }
    case 'run-end': {
      const view: RunView = state.runs.get(event.run) ?? {
        run: event.run,
        names: event.stages.map((s) => s.stage),
        stages: new Map(),
        startedAt: now,
        startDone: 0,
      };
      for (const s of event.stages) view.stages.set(s.stage, s);
      view.ended = true;
      view.ok = event.ok;
      state.runs.set(event.run, view);
      break;
    }
    case 'task': {
      const view = state.tasks.get(event.task);
      if (!view)
        state.tasks.set(event.task, {
          task: event.task,
          done: event.done,
          startedAt: now,
          startDone: event.done,
          ...(event.total === undefined ? {} : { total: event.total }),
          ...(event.message === undefined ? {} : { message: event.message }),
        });
      else {
        view.done = event.done;
        if (event.total !== undefined) view.total = event.total;
        if (event.message !== undefined) view.message = event.message;
      }
      break;
    }
  }
  return state;
}

const BAR_WIDTH = 24;

/** `[██████░░░░]`: `fraction` of `width` cells filled. */
export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]`;
}

/** `0:42`, `12:05`, `1:02:03`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

function formatAmount(n: number, unit: string): string {
  if (unit !== 'bytes') return String(n);
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

function formatRate(perSecond: number, unit: string): string {
  if (unit === 'bytes') return `${formatAmount(Math.round(perSecond), 'bytes')}/s`;
  return `${perSecond >= 10 ? perSecond.toFixed(0) : perSecond.toFixed(1)}/s`;
}

/** The bar, count, percentage, rate and ETA of one measured thing (`label` first). */
function overall(
  label: string,
  m: Measure & { done: number; total?: number; unit: string },
  now: number,
  ended: boolean,
): string {
  const elapsed = now - m.startedAt;
  const progressed = m.done - m.startDone;
  const rate = elapsed > 0 && progressed > 0 ? (1000 * progressed) / elapsed : 0;
  const parts = [label];
  if (m.total !== undefined && m.total > 0) {
    const fraction = Math.min(1, m.done / m.total);
    parts.push(
      progressBar(fraction),
      `${formatAmount(m.done, m.unit)}/${formatAmount(m.total, m.unit)}`,
      `${Math.floor(100 * fraction)}%`,
    );
    if (rate > 0) parts.push(formatRate(rate, m.unit));
    if (ended) parts.push(`in ${formatDuration(elapsed)}`);
    else if (rate > 0 && m.done < m.total)
      parts.push(`ETA ${formatDuration((1000 * (m.total - m.done)) / rate)}`);
  } else {
    parts.push(m.unit === 'bytes' ? formatAmount(m.done, 'bytes') : `${m.done}`);
    if (rate > 0) parts.push(formatRate(rate, m.unit));
    if (ended) parts.push(`in ${formatDuration(elapsed)}`);
  }
  return parts.join('  ');
}

/** One stage's counts: `read-image-folder 195/600`, `augment-images 190 -> 570 (+380)`. */
function stageCounts(p: StageProgress, isSource: boolean): string {
  const extra: string[] = [];
  if (p.filtered) extra.push(`${p.filtered} filtered`);
  if (p.quarantined) extra.push(`${p.quarantined} quarantined`);
  const tail = extra.length > 0 ? ` (${extra.join(', ')})` : '';
  if (isSource) return `${p.stage} ${p.in}${p.total === undefined ? '' : `/${p.total}`}${tail}`;
  const flow = p.in === p.out && !p.created ? `${p.out}` : `${p.in} -> ${p.out}`;
  return `${p.stage} ${flow}${tail}`;
}

/**
 * The lines a terminal shows for a state: per run, its overall bar (from its source's total) and
 * the per-stage counts; per task, its bar with the latest message. A pure function of the state
 * and the clock, so that it can be tested without a terminal.
 */
export function renderProgressLines(state: ProgressState, now: number, columns = 100): string[] {
  const lines: string[] = [];
  const fit = (line: string) =>
    line.length > columns - 1 ? `${line.slice(0, Math.max(0, columns - 2))}…` : line;
  for (const view of state.runs.values()) {
    const ended = view.ended === true;
    const status = ended ? (view.ok ? ' done' : ' failed') : '';
    lines.push(fit(overall(`${view.run}${status}`, { ...view, ...runDone(view) }, now, ended)));
    const counts = view.names
      .map((name, i) => {
        const p = view.stages.get(name);
        return p ? stageCounts(p, i === 0) : undefined;
      })
      .filter((s): s is string => s !== undefined);
    if (counts.length > 0) lines.push(fit(`  ${counts.join(' · ')}`));
  }
  for (const view of state.tasks.values()) {
    const ended = view.total !== undefined && view.done >= view.total;
    const line = overall(view.task, { ...view, unit: 'items' }, now, ended);
    lines.push(fit(view.message ? `${line}  ${view.message}` : line));
  }
  return lines;
}

const CLEAR_LINE = '\u001b[2K';
const CLEAR_BELOW = '\u001b[0J';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const up = (n: number) => (n > 0 ? `\u001b[${n}F` : '\r');

function barRenderer(stream: NodeJS.WritableStream & { columns?: number }, fps: number): ProgressRenderer {
  const state = createProgressState();
  let shown = 0;
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  let stopped = false;
  // A pseudo-terminal can report 0 columns (`script`, some CI runners): then assume 100.
  const columns = () => (stream.columns !== undefined && stream.columns >= 20 ? stream.columns : 100);
  const draw = () => {
    timer = undefined;
    dirty = false;
    const now = performance.now();
    // A finished run or task is written once more, above the live lines, and then left alone.
    const finished = createProgressState();
    const live = createProgressState();
    for (const [run, view] of state.runs) (view.ended ? finished : live).runs.set(run, view);
    for (const [task, view] of state.tasks)
      (view.total !== undefined && view.done >= view.total ? finished : live).tasks.set(task, view);
    for (const run of finished.runs.keys()) state.runs.delete(run);
    for (const task of finished.tasks.keys()) state.tasks.delete(task);
    const kept = renderProgressLines(finished, now, columns());
    const lines = renderProgressLines(live, now, columns());
    let text = up(shown);
    for (const line of [...kept, ...lines]) text += `${CLEAR_LINE}${line}\n`;
    text += CLEAR_BELOW;
    shown = lines.length;
    stream.write(text);
  };
  const schedule = () => {
    dirty = true;
    if (timer || stopped) return;
    timer = setTimeout(draw, Math.round(1000 / fps));
    timer.unref?.();
  };
  stream.write(HIDE_CURSOR);
  const listener = (event: ProgressEvent) => {
    applyProgressEvent(state, event, performance.now());
    // The end of a run or task is shown at once: its final counts are what a person reads.
    if (
      event.type === 'run-end' ||
      (event.type === 'task' && event.total !== undefined && event.done >= event.total)
    ) {
      clearTimeout(timer);
      draw();
    } else schedule();
  };
  return {
    listener,
    write(text) {
      if (shown > 0) stream.write(`${up(shown)}${CLEAR_BELOW}`);
      shown = 0;
      stream.write(text);
      if (!stopped) schedule();
    },
    stop() {
      if (stopped) return;
      clearTimeout(timer);
      if (dirty || state.runs.size > 0 || state.tasks.size > 0) draw();
      stopped = true;
      stream.write(SHOW_CURSOR);
    },
  };
}
