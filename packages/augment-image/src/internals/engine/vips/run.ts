import { DataError, type RawImage } from '@growset/core';
import { fromFloat, toFloatImage, typedView } from '../../image/codec.ts';
import { hasAlpha } from '../../image/shape.ts';
import { message, type SourceImage } from '../../image/source.ts';
import { type FoldedColour, foldColour, needsMean } from '../../ops/colour.ts';
import { gaussianKernel, vipsGaussianKernel } from '../../ops/kernels.ts';
import { type ColourOp, type GeometricOp, isGeometric, type PlanOp } from '../../ops/types.ts';
import { blurRgb8, MAX_FAST_BLUR_RADIUS } from '../js/blur.ts';
import { colourWindow, resampleAffine } from '../js/resample.ts';
import { jpegRoundTrip, pixelContext, runOpsOnFloat } from '../js/run.ts';
import type { EngineContext, EngineResult, ResolvedOutput } from '../types.ts';
import { jpegShrinkOnLoad, planGeometry } from './geometry.ts';
import { type PassOutput, type PassResult, runPass, type VipsPass } from './pass.ts';
import {
  addPixelOp,
  blank,
  cropTopLeft,
  emptyColour,
  finishColour,
  meanOf,
  type Pending,
  type Window,
} from './pending.ts';

type State =
  | { kind: 'encoded'; data: Uint8Array; jpeg: boolean; fromSource: boolean; autoOrient: boolean }
  | { kind: 'raw'; raw: RawImage; window?: Window };

/** Affine geometry up to this many output pixels resamples on typed arrays (faster than libvips' affine). */
const TYPED_AFFINE_MAX_PIXELS = 1024 * 1024;

/**
 * Runs a plan with libvips doing the heavy lifting in as few passes as it can:
 * - a run of affine ops is folded into one map. Axis-aligned whole-pixel maps (crops, resizes,
 *   flips) become extract + resize + mirror in the decode pass, with shrink-on-load; other maps
 *   decode only the region they need (pre-resized when they shrink more than 2x) and resample
 *   it once at the output size, with the colour steps that follow folded into the same loop;
 * - blur and convolution of the following pixel ops join the next pass, which also encodes;
 *   colour steps join it as one recomb + linear when no raw pixels are at hand;
 * - perspective, elastic, reflect borders and ops libvips has no form for run on typed arrays
 *   between passes.
 * For channels 1, 3 and 4 in uint8 or uint16 (other images go to the typed-array engine).
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
  const anyContrast = ops.some((op) => op.op === 'colour' && needsMean(op.steps));

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
    return {
      pass: {
        input: {
          kind: 'raw',
          data: raw.data as Uint8Array | Uint16Array,
          width: raw.width,
          height: raw.height,
        },
        shape,
        ...(from.window ? { preExtract: { left: 0, top: 0, ...from.window } } : {}),
      },
      open: true,
      window: undefined,
      // Known pixels: their mean is known, for contrast steps (computed only if the plan has any).
      colour: emptyColour(anyContrast ? meanOf(raw, from.window, shape.channels) : undefined),
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
  /** The current image as raw pixels, cropped to its window. */
  const rawNow = async (): Promise<RawImage> => {
    await settle();
    if (state.kind === 'encoded') state = await flush(start(state));
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
      const inputSize = { width, height };
      width = last.width;
      height = last.height;
      if (geo.kind === 'remap') {
        const raw = await rawNow();
        steps.push(`js[remap(${run.map((g) => g.op).join('+')})]`);
        state = { kind: 'raw', raw: jsOps(raw, run) };
      } else if (geo.kind === 'blank') {
        steps.push('js[blank]');
        state = { kind: 'raw', raw: blank(geo.width, geo.height, shape.channels, shape.dtype, geo.fill) };
      } else if (geo.kind === 'native') {
        pending = start(state);
        pending.colour.mean = undefined;
        if (geo.region) pending.pass.preExtract = geo.region;
        if (geo.resize) pending.pass.resize = { ...geo.resize, kernel: geo.kernel };
        noteShrinkOnLoad(pending.pass, state, inputSize);
        if (geo.flip) pending.pass.flip = true;
        if (geo.flop) pending.pass.flop = true;
      } else if (geo.width * geo.height <= TYPED_AFFINE_MAX_PIXELS) {
        // Decode just the region the map reads, then resample it once at the output size.
        const decode = start(state);
        if (geo.region) decode.pass.preExtract = geo.region;
        if (geo.resize) decode.pass.resize = { ...geo.resize, kernel: 'linear' };
        noteShrinkOnLoad(decode.pass, state, inputSize);
        const regionRaw = (await flush(decode)) as Extract<State, { kind: 'raw' }>;
        const raw = regionRaw.raw;
        const fused = foldFollowingPixelOps(ops, i, shape.dtype, raw.dtype === 'uint8' && raw.channels === 3);
        i += fused.count;
        steps.push(`js[resample${fused.colour ? '+colour' : ''}${fused.blur ? '+blur' : ''}]`);
        const resampled = resampleAffine(raw, {
          matrix: geo.residual,
          width: geo.width,
          height: geo.height,
          fill: geo.fill,
          interpolation: geo.interpolator,
          ...(fused.colour ? { colour: fused.colour } : {}),
        });
        state = { kind: 'raw', raw: fused.blur ? blurRgb8(resampled, fused.blur) : resampled };
      } else {
        pending = start(state);
        pending.colour.mean = undefined;
        const pass = pending.pass;
        if (geo.region) pass.preExtract = geo.region;
        if (geo.resize) pass.resize = { ...geo.resize, kernel: 'linear' };
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
      continue;
    }
    i++;
    if (op.op === 'jpeg' && (hasAlpha(shape.channels) || op.format === 'webp')) {
      // JPEG has no alpha: round-trip the colour channels only, keeping alpha. WebP goes the
      // same way (an encoded WebP state would be taken for a JPEG further on).
      const raw = await rawNow();
      steps.push(`js[${op.format ?? 'jpeg'}(q${op.quality})]`);
      passes += 2;
      const pctx = pixelContext(raw);
      state = {
        kind: 'raw',
        raw: fromFloat(await jpegRoundTrip(toFloatImage(raw), op.quality, pctx, op.format), raw.dtype, 1),
      };
      continue;
    }
    if (op.op === 'jpeg') {
      let p = pending ?? start(state);
      pending = undefined;
      if (!p.open) p = start(await flush(p));
      const output: PassOutput = { kind: 'encode', format: 'jpeg', quality: op.quality };
      const result = await exec(finishColour({ ...p.pass, output }, p.colour, shape.channels), p.fromSource);
      const data = new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.length);
      state = { kind: 'encoded', data, jpeg: true, fromSource: false, autoOrient: false };
      continue;
    }
    if (op.op === 'colour' && shape.dtype === 'uint8' && !pending && state.kind === 'raw') {
      // Pixels at hand: one pass over them beats a libvips recomb (which works in float).
      const s = state;
      const folded = foldColour(
        op.steps,
        needsMean(op.steps) ? meanOf(s.raw, s.window, shape.channels) : undefined,
      );
      steps.push('js[colour]');
      state = { kind: 'raw', raw: colourWindow(s.raw, folded, s.window?.width, s.window?.height) };
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
      const raw = await rawNow();
      steps.push(`js[${run.map((o) => o.op).join(',')}]`);
      state = { kind: 'raw', raw: jsOps(raw, run) };
      continue;
    }
    const wantsConvolution = op.op === 'convolve' || (op.op === 'blur' && op.sigma < 0.3);
    const meanUnknown = op.op === 'colour' && needsMean(op.steps) && pending?.colour.mean === undefined;
    if (!pending?.open || (wantsConvolution && pending.pass.convolve) || meanUnknown) {
      await settle();
      if (meanUnknown && state.kind === 'encoded') await rawNow();
      pending = start(state);
    }
    addPixelOp(pending, op);
  }
  return finish(ctx.output);

  async function finish(out: ResolvedOutput): Promise<EngineResult> {
    const summary = () => ({
      engine: passes === 0 ? ('none' as const) : ('libvips' as const),
      passes,
      steps,
    });
    if (pending?.open && out.kind === 'encoded') {
      const p = pending;
      const result = await exec(
        finishColour({ ...p.pass, output: passOutput(out) }, p.colour, shape.channels),
        p.fromSource,
      );
      return { image: encoded(result, out.format), summary: summary() };
    }
    await settle();
    const last = state as State;
    if (last.kind === 'encoded') {
      if (out.kind === 'encoded') {
        const untouched =
          last.fromSource &&
          ops.length === 0 &&
          source.kind === 'encoded' &&
          source.format === out.format &&
          !last.autoOrient;
        // A JPEG round trip's bytes are the image: re-encoding them would compress twice.
        if (untouched || (!last.fromSource && out.format === 'jpeg')) {
          return { image: { kind: 'encoded', data: last.data, format: out.format }, summary: summary() };
        }
        const result = await exec({ ...start(last).pass, output: passOutput(out) }, last.fromSource);
        return { image: encoded(result, out.format), summary: summary() };
      }
      await rawNow();
    }
    const s = state as Extract<State, { kind: 'raw' }>;
    if (out.kind === 'encoded' && s.raw.dtype !== 'float32') {
      const result = await exec({ ...start(s).pass, output: passOutput(out) }, false);
      return { image: encoded(result, out.format), summary: summary() };
    }
    const raw = s.window ? cropTopLeft(s.raw, s.window) : s.raw;
    const image =
      out.kind === 'float32' && raw.dtype !== 'float32'
        ? fromFloat(toFloatImage(raw), 'float32', raw.dtype === 'uint16' ? 65535 : 255)
        : raw;
    return { image, summary: { ...summary(), engine: passes === 0 ? 'js' : 'libvips' } };
  }
}

/**
 * Pixel ops right after a geometric run that run on the resampled pixels while they are at hand:
 * colour steps (without a mean), folded into the resampling loop, and, when `blurOk`, one blur
 * after it (colour maps and a blur commute up to clipping, the kernel summing to 1). The blur has
 * the kernel libvips would have used (sharp's `blur` for sigma >= 0.3, the convolution slot's
 * 3-sigma kernel below) and runs on typed arrays ({@link blurRgb8}), which saves the libvips
 * blur in the pass that encodes; kernels wider than {@link MAX_FAST_BLUR_RADIUS} stay there.
 */
function foldFollowingPixelOps(
  ops: readonly PlanOp[],
  from: number,
  dtype: RawImage['dtype'],
  blurOk: boolean,
): { count: number; colour?: FoldedColour; blur?: Float64Array } {
  if (dtype === 'float32') return { count: 0 };
  const steps: ColourOp['steps'][number][] = [];
  let blur: Float64Array | undefined;
  let count = 0;
  while (from + count < ops.length) {
    const op = ops[from + count]!;
    if (op.op === 'colour' && !needsMean(op.steps)) steps.push(...op.steps);
    else if (op.op === 'blur' && blurOk && !blur) {
      const kernel = op.sigma < 0.3 ? gaussianKernel(op.sigma) : vipsGaussianKernel(op.sigma);
      if (kernel.length > 2 * MAX_FAST_BLUR_RADIUS + 1) break;
      blur = kernel;
    } else break;
    count++;
  }
  const colour = steps.length > 0 ? foldColour(steps) : undefined;
  return { count, ...(colour ? { colour } : {}), ...(blur ? { blur } : {}) };
}

/** Records the JPEG shrink-on-load a decode pass gets (whole image read, resized down 2x or more). */
function noteShrinkOnLoad(
  pass: Omit<VipsPass, 'output'>,
  state: State,
  input: { width: number; height: number },
): void {
  if (state.kind !== 'encoded' || !state.jpeg || pass.preExtract || !pass.resize || pass.autoOrient) return;
  const factor = jpegShrinkOnLoad(
    Math.min(input.width / pass.resize.width, input.height / pass.resize.height),
  );
  if (factor > 1) pass.shrinkOnLoad = factor;
}

function passOutput(out: Extract<ResolvedOutput, { kind: 'encoded' }>): PassOutput {
  return { kind: 'encode', format: out.format, quality: out.quality };
}

function encoded(result: PassResult, format: string): EngineResult['image'] {
  return {
    kind: 'encoded',
    data: new Uint8Array(result.data.buffer, result.data.byteOffset, result.data.length),
    format,
  };
}

/** Ops libvips runs in the pixel slots of a pass (colour only on 8-bit: recomb converts to 8-bit sRGB). */
function onLibvips(op: PlanOp, dtype: RawImage['dtype']): boolean {
  return op.op === 'blur' || op.op === 'convolve' || (op.op === 'colour' && dtype === 'uint8');
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

function describe(pass: VipsPass): string {
  const parts: string[] = [
    pass.input.kind === 'encoded' ? `decode${pass.shrinkOnLoad ? `/${pass.shrinkOnLoad}` : ''}` : 'raw',
  ];
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
