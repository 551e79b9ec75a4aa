import { DataError, type RawImage } from '@growset/core';
import { fromFloat, toFloatImage, typedView } from '../../image/codec.ts';
import { allocate, expandFill, unitScale } from '../../image/shape.ts';
import { message, type SourceImage } from '../../image/source.ts';
import { foldColour, LUMA, needsMean } from '../../ops/colour.ts';
import { gaussianKernel, kernelSum } from '../../ops/kernels.ts';
import { type ColourOp, type GeometricOp, isGeometric, type PlanOp } from '../../ops/types.ts';
import { pixelContext, runOpsOnFloat } from '../js/run.ts';
import type { EngineContext, EngineResult, ResolvedOutput } from '../types.ts';
import { planGeometry } from './geometry.ts';
import { type PassOutput, type PassResult, runPass, type VipsPass } from './pass.ts';

type Window = { width: number; height: number };

type State =
  | { kind: 'encoded'; data: Uint8Array; jpeg: boolean; fromSource: boolean; autoOrient: boolean }
  | { kind: 'raw'; raw: RawImage; window?: Window };

/** Colour steps folded so far in a pass, with the mean carried through them (for contrast). */
interface ColourAccumulator {
  matrix: number[];
  offset: number[];
  mean: number[] | undefined;
}

interface Pending {
  pass: Omit<VipsPass, 'output'>;
  /** Whether pixel slots may still be filled (false once the pass ends on a cropped affine). */
  open: boolean;
  window: Window | undefined;
  colour: ColourAccumulator;
  fromSource: boolean;
}

/**
 * Runs a plan on libvips in as few passes as it can: a run of affine ops becomes one libvips
 * affine (or extract + resize + mirror) reading only the region it needs; blur, convolution and
 * every colour step of the following pixel ops join the same pass when the geometry needs no
 * crop, else the next one (which starts with the crop); raw pixels go to typed-array code only
 * for ops libvips has no form for. For channels 1, 3 and 4 in uint8 or uint16.
 */
export async function runVipsEngine(
  source: SourceImage,
  ops: readonly PlanOp[],
  ctx: EngineContext,
): Promise<EngineResult> {
  const shape = source.shape;
  const steps: string[] = [];
  let passes = 0;
  let width = shape.width;
  let height = shape.height;
  let state: State =
    source.kind === 'encoded'
      ? {
          kind: 'encoded',
          data: source.data,
          jpeg: source.format === 'jpeg',
          fromSource: true,
          autoOrient: source.orientation > 1,
        }
      : { kind: 'raw', raw: source.image };
  let pending: Pending | undefined;

  const exec = async (pass: VipsPass, fromSource: boolean): Promise<PassResult> => {
    passes++;
    steps.push(describe(pass));
    try {
      return await runPass(pass, ctx.maxPixels);
    } catch (error) {
      if (fromSource) throw new DataError('undecodable image', message(error), { cause: error });
      throw error;
    }
  };
  const start = (from: State): Pending => {
    if (from.kind === 'encoded') {
      return {
        pass: { input: { kind: 'encoded', data: from.data }, shape, autoOrient: from.autoOrient },
        open: true,
        window: undefined,
        colour: emptyColour(undefined),
        fromSource: from.fromSource,
      };
    }
    const { raw } = from;
    const pass: Omit<VipsPass, 'output'> = {
      input: {
        kind: 'raw',
        data: raw.data as Uint8Array | Uint16Array,
        width: raw.width,
        height: raw.height,
      },
      shape,
      ...(from.window ? { preExtract: { left: 0, top: 0, ...from.window } } : {}),
    };
    // The pass input is known pixels: its mean is known, for contrast.
    return {
      pass,
      open: true,
      window: undefined,
      colour: emptyColour(meanOf(raw, from.window, shape.channels)),
      fromSource: false,
    };
  };
  const flush = async (p: Pending): Promise<State> => {
    const result = await exec(
      finishColour({ ...p.pass, output: { kind: 'raw' } }, p.colour, shape.channels),
      p.fromSource,
    );
    const raw = toRaw(result, shape.dtype);
    return p.window && (result.width !== p.window.width || result.height !== p.window.height)
      ? { kind: 'raw', raw, window: p.window }
      : { kind: 'raw', raw };
  };
  const settle = async (): Promise<void> => {
    if (pending) {
      state = await flush(pending);
      pending = undefined;
    }
  };
  const rawState = async (): Promise<RawImage> => {
    await settle();
    if (state.kind === 'encoded') {
      const p = start(state);
      state = await flush(p);
    }
    const s = state as Extract<State, { kind: 'raw' }>;
    const raw = s.window ? cropTopLeft(s.raw, s.window) : s.raw;
    state = { kind: 'raw', raw };
    return raw;
  };

  let i = 0;
  while (i < ops.length) {
    const op = ops[i]!;
    if (isGeometric(op)) {
      const run: GeometricOp[] = [];
      while (i < ops.length && isGeometric(ops[i]!)) run.push(ops[i++] as GeometricOp);
      await settle();
      if (state.kind === 'raw' && state.window)
        state = { kind: 'raw', raw: cropTopLeft(state.raw, state.window) };
      const geo = planGeometry(run, { width, height, jpeg: state.kind === 'encoded' && state.jpeg });
      const last = run[run.length - 1]!;
      if (geo.kind === 'remap') {
        const raw = await rawState();
        steps.push(`js[remap(${run.map((g) => g.op).join('+')})]`);
        state = { kind: 'raw', raw: jsOps(raw, run) };
      } else if (geo.kind === 'blank') {
        steps.push('js[blank]');
        state = { kind: 'raw', raw: blank(geo.width, geo.height, shape.channels, shape.dtype, geo.fill) };
      } else {
        pending = start(state);
        pending.colour.mean = undefined;
        const pass = pending.pass;
        if (geo.region) pass.preExtract = geo.region;
        if (geo.resize)
          pass.resize = { ...geo.resize, kernel: geo.kind === 'native' ? geo.kernel : 'linear' };
        if (geo.kind === 'native') {
          if (geo.flip) pass.flip = true;
          if (geo.flop) pass.flop = true;
        } else {
          pass.affine = {
            matrix: geo.matrix,
            odx: geo.odx,
            ody: geo.ody,
            interpolator: geo.interpolator,
            fill: geo.fill,
          };
          pass.extend = { ...geo.extend, fill: geo.fill };
          if (geo.passWidth !== geo.width || geo.passHeight !== geo.height) {
            pending.open = false;
            pending.window = { width: geo.width, height: geo.height };
          }
        }
      }
      width = last.width;
      height = last.height;
      continue;
    }
    i++;
    if (op.op === 'jpeg') {
      let p = pending ?? start(state);
      pending = undefined;
      if (!p.open) {
        state = await flush(p);
        p = start(state);
      }
      const output: PassOutput = { kind: 'encode', format: 'jpeg', quality: op.quality };
      const result = await exec(finishColour({ ...p.pass, output }, p.colour, shape.channels), p.fromSource);
      const data = new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.length);
      state = { kind: 'encoded', data, jpeg: true, fromSource: false, autoOrient: false };
      continue;
    }
    if (!onLibvips(op, shape.dtype)) {
      const run: PlanOp[] = [op];
      while (
        i < ops.length &&
        !isGeometric(ops[i]!) &&
        ops[i]!.op !== 'jpeg' &&
        !onLibvips(ops[i]!, shape.dtype)
      )
        run.push(ops[i++]!);
      const raw = await rawState();
      steps.push(`js[${run.map((o) => o.op).join(',')}]`);
      state = { kind: 'raw', raw: jsOps(raw, run) };
      continue;
    }
    const wantsConvolution = op.op === 'convolve' || (op.op === 'blur' && op.sigma < 0.3);
    const meanUnknown = op.op === 'colour' && needsMean(op.steps) && pending?.colour.mean === undefined;
    if (!pending?.open || (wantsConvolution && pending.pass.convolve) || meanUnknown) {
      await settle();
      if (meanUnknown && state.kind === 'encoded') await rawState();
      pending = start(state);
    }
    addPixelOp(pending, op);
  }

  // Final output.
  const out = ctx.output;
  const float = out.kind === 'float32';
  if (pending && out.kind === 'encoded' && pending.open) {
    const p = pending;
    const result = await exec(
      finishColour({ ...p.pass, output: passOutput(out) }, p.colour, shape.channels),
      p.fromSource,
    );
    return encodedResult(result, out.format, { passes, steps });
  }
  await settle();
  const finalState = state as State;
  if (finalState.kind === 'encoded') {
    if (out.kind === 'encoded') {
      const unchanged =
        finalState.fromSource &&
        ops.length === 0 &&
        source.kind === 'encoded' &&
        source.format === out.format &&
        !finalState.autoOrient;
      const keep = unchanged || (!finalState.fromSource && out.format === 'jpeg');
      if (keep)
        return {
          image: { kind: 'encoded', data: finalState.data, format: out.format },
          summary: { engine: passes === 0 ? 'none' : 'libvips', passes, steps },
        };
      const result = await exec(
        { ...start(finalState).pass, output: passOutput(out) },
        finalState.fromSource,
      );
      return encodedResult(result, out.format, { passes, steps });
    }
    await rawState();
  }
  const s = state as Extract<State, { kind: 'raw' }>;
  if (out.kind === 'encoded' && s.raw.dtype !== 'float32') {
    const result = await exec({ ...start(s).pass, output: passOutput(out) }, false);
    return encodedResult(result, out.format, { passes, steps });
  }
  const raw = s.window ? cropTopLeft(s.raw, s.window) : s.raw;
  const image =
    float && raw.dtype !== 'float32'
      ? fromFloat(toFloatImage(raw), 'float32', raw.dtype === 'uint16' ? 65535 : 255)
      : raw;
  return { image, summary: { engine: passes === 0 ? 'js' : 'libvips', passes, steps } };
}

function passOutput(out: Extract<ResolvedOutput, { kind: 'encoded' }>): PassOutput {
  return { kind: 'encode', format: out.format, quality: out.quality };
}

function encodedResult(
  result: PassResult,
  format: string,
  s: { passes: number; steps: string[] },
): EngineResult {
  return {
    image: {
      kind: 'encoded',
      data: new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.length),
      format,
    },
    summary: { engine: 'libvips', passes: s.passes, steps: s.steps },
  };
}

/** Ops libvips runs in the pixel slots of a pass (colour only on 8-bit: recomb converts to 8-bit sRGB). */
function onLibvips(op: PlanOp, dtype: RawImage['dtype']): boolean {
  return op.op === 'blur' || op.op === 'convolve' || (op.op === 'colour' && dtype === 'uint8');
}

function emptyColour(mean: number[] | undefined): ColourAccumulator {
  return { matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1], offset: [0, 0, 0], mean };
}

/**
 * Adds a blur, convolution or colour op to a pass. libvips runs blur, then convolution, then
 * colour; the ops commute (both sides linear), except that a filter whose kernel sums to s
 * scales any colour offset folded before it by s, which is applied here.
 */
function addPixelOp(p: Pending, op: PlanOp): void {
  const acc = p.colour;
  if (op.op === 'blur') {
    // libvips' gaussblur needs sigma >= 0.3; smaller blurs go through the convolution slot.
    if (op.sigma < 0.3) p.pass.convolve = separableToKernel(gaussianKernel(op.sigma));
    else p.pass.blur = p.pass.blur === undefined ? op.sigma : Math.sqrt(p.pass.blur ** 2 + op.sigma ** 2);
    return;
  }
  if (op.op === 'convolve') {
    if (p.pass.convolve) throw new Error('addPixelOp: convolution slot taken');
    p.pass.convolve = { width: op.width, height: op.height, kernel: op.kernel };
    const s = kernelSum(op.kernel);
    acc.offset = acc.offset.map((v) => v * s);
    if (acc.mean) acc.mean = acc.mean.map((v) => v * s);
    return;
  }
  if (op.op === 'colour') foldInto(acc, op);
}

function foldInto(acc: ColourAccumulator, op: ColourOp): void {
  const mean = acc.mean ?? [128, 128, 128];
  const folded = foldColour(op.steps, mean);
  const m = folded.matrix;
  const prev = acc.matrix;
  const matrix: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      matrix.push(m[r * 3]! * prev[c]! + m[r * 3 + 1]! * prev[3 + c]! + m[r * 3 + 2]! * prev[6 + c]!);
  const offset = [0, 1, 2].map(
    (r) =>
      m[r * 3]! * acc.offset[0]! +
      m[r * 3 + 1]! * acc.offset[1]! +
      m[r * 3 + 2]! * acc.offset[2]! +
      folded.offset[r]!,
  );
  const nextMean = acc.mean
    ? [0, 1, 2].map(
        (r) => m[r * 3]! * mean[0]! + m[r * 3 + 1]! * mean[1]! + m[r * 3 + 2]! * mean[2]! + folded.offset[r]!,
      )
    : undefined;
  acc.matrix = matrix;
  acc.offset = offset;
  acc.mean = nextMean;
}

/** Puts the folded colour map into the recomb and linear slots for the image's channels. */
function finishColour(pass: VipsPass, acc: ColourAccumulator, channels: number): VipsPass {
  const identity =
    acc.matrix.every((v, i) => v === (i % 4 === 0 ? 1 : 0)) && acc.offset.every((v) => v === 0);
  if (identity) return pass;
  if (channels === 1) {
    let scale = 0;
    let offset = 0;
    for (let r = 0; r < 3; r++) {
      scale += LUMA[r]! * (acc.matrix[r * 3]! + acc.matrix[r * 3 + 1]! + acc.matrix[r * 3 + 2]!);
      offset += LUMA[r]! * acc.offset[r]!;
    }
    return { ...pass, linear: { a: [scale], b: [offset] } };
  }
  const isDiagonal = [1, 2, 3, 5, 6, 7].every((k) => acc.matrix[k] === 0);
  const alpha = channels === 4;
  const a = isDiagonal ? [acc.matrix[0]!, acc.matrix[4]!, acc.matrix[8]!] : [1, 1, 1];
  return {
    ...pass,
    ...(isDiagonal ? {} : { recomb: acc.matrix }),
    linear: { a: alpha ? [...a, 1] : a, b: alpha ? [...acc.offset, 0] : acc.offset },
  };
}

function separableToKernel(k: Float64Array): { width: number; height: number; kernel: number[] } {
  const n = k.length;
  const kernel: number[] = [];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) kernel.push(k[y]! * k[x]!);
  return { width: n, height: n, kernel };
}

function jsOps(raw: RawImage, ops: readonly PlanOp[]): RawImage {
  const pctx = pixelContext(raw);
  const img = runOpsOnFloat(toFloatImage(raw), ops, pctx, []);
  const normalized = ops[ops.length - 1]?.op === 'normalize';
  return normalized ? fromFloat(img, 'float32', 1) : fromFloat(img, raw.dtype, 1);
}

function toRaw(result: PassResult, dtype: RawImage['dtype']): RawImage {
  return {
    kind: 'raw',
    data: typedView(result.data, dtype),
    width: result.width,
    height: result.height,
    channels: result.channels as 1 | 2 | 3 | 4,
    dtype,
  };
}

export function cropTopLeft(raw: RawImage, window: Window): RawImage {
  if (raw.width === window.width && raw.height === window.height) return raw;
  const { channels } = raw;
  const out = allocate(raw.dtype, window.width * window.height * channels);
  const row = window.width * channels;
  for (let y = 0; y < window.height; y++) {
    const from = y * raw.width * channels;
    out.set(raw.data.subarray(from, from + row), y * row);
  }
  return { ...raw, data: out, width: window.width, height: window.height };
}

function blank(
  width: number,
  height: number,
  channels: number,
  dtype: RawImage['dtype'],
  fill: readonly number[],
): RawImage {
  const values = expandFill(fill, channels).map((v) => v * unitScale(dtype));
  const data = allocate(dtype, width * height * channels);
  for (let i = 0; i < width * height; i++)
    for (let c = 0; c < channels; c++) data[i * channels + c] = values[c]!;
  return { kind: 'raw', data, width, height, channels: channels as 1 | 2 | 3 | 4, dtype };
}

function meanOf(raw: RawImage, window: Window | undefined, channels: number): number[] {
  const w = window?.width ?? raw.width;
  const h = window?.height ?? raw.height;
  const colour = channels >= 3 ? 3 : 1;
  const sums = [0, 0, 0];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const base = (y * raw.width + x) * channels;
      for (let c = 0; c < colour; c++) sums[c]! += raw.data[base + c]!;
    }
  const unit = unitScale(raw.dtype);
  const means = sums.map((s) => s / (w * h) / unit);
  return colour === 1 ? [means[0]!, means[0]!, means[0]!] : means;
}

function describe(pass: VipsPass): string {
  const parts: string[] = [pass.input.kind === 'encoded' ? 'decode' : 'raw'];
  if (pass.autoOrient) parts.push('orient');
  if (pass.preExtract) parts.push('extract');
  if (pass.resize) parts.push('resize');
  if (pass.flip || pass.flop) parts.push('mirror');
  if (pass.affine) parts.push('affine');
  if (pass.extend && (pass.extend.right > 0 || pass.extend.bottom > 0)) parts.push('extend');
  if (pass.blur !== undefined) parts.push('blur');
  if (pass.convolve) parts.push('convolve');
  if (pass.recomb) parts.push('recomb');
  if (pass.linear) parts.push('linear');
  parts.push(pass.output.kind === 'raw' ? 'raw' : pass.output.format);
  return `libvips[${parts.join(',')}]`;
}
