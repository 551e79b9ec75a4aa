import type { ProgressEvent, ProgressListener, StageProgress } from '@growset/core';
import cliProgress from 'cli-progress';

export interface ProgressRenderer {
  listener: ProgressListener;
  /** Stops bars and restores the cursor. */
  stop(): void;
}

/**
 * Progress bars (cli-progress) when `stream` is a terminal, plain lines otherwise (at most one
 * per item every `intervalMs`, plus a final line per stage).
 */
export function createProgressRenderer(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  options: { intervalMs?: number; tty?: boolean } = {},
): ProgressRenderer {
  const tty = options.tty ?? Boolean(stream.isTTY);
  return tty ? barRenderer(stream) : lineRenderer(stream, options.intervalMs ?? 2000);
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
  return { listener, stop() {} };
}

function barRenderer(stream: NodeJS.WritableStream): ProgressRenderer {
  const multibar = new cliProgress.MultiBar(
    {
      stream: stream as NodeJS.WriteStream,
      clearOnComplete: false,
      hideCursor: true,
      format: '{name} |{bar}| {value}/{total} {text}',
      barsize: 24,
      fps: 10,
      forceRedraw: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const update = (key: string, name: string, value: number, total: number | undefined, text: string) => {
    let bar = bars.get(key);
    const shownTotal = total ?? Math.max(value, 1);
    if (!bar) {
      bar = multibar.create(shownTotal, value, { name: name.padEnd(24).slice(0, 24), text });
      bars.set(key, bar);
    } else {
      bar.setTotal(shownTotal);
      bar.update(value, { text });
    }
  };
  const listener = (event: ProgressEvent) => {
    switch (event.type) {
      case 'stage-progress': {
        const p = event.progress;
        update(`${event.run}/${p.stage}`, p.stage, p.in || p.out, p.total, stageText(p));
        break;
      }
      case 'run-end':
        for (const p of event.stages)
          update(`${event.run}/${p.stage}`, p.stage, p.in || p.out, p.total ?? (p.in || p.out), stageText(p));
        break;
      case 'task':
        update(`task/${event.task}`, event.task, event.done, event.total, event.message ?? '');
        break;
      case 'run-start':
        break;
    }
  };
  return {
    listener,
    stop() {
      multibar.stop();
    },
  };
}
