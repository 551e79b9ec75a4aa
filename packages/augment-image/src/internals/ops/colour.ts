import type { ColourStep, LinearColourStep } from './types.ts';

/** Luma weights of ITU-R 601 (as torchvision's rgb_to_grayscale), normalized to sum to 1. */
export const LUMA: readonly [number, number, number] = (() => {
  const w = [0.2989, 0.587, 0.114];
  const sum = w[0]! + w[1]! + w[2]!;
  return [w[0]! / sum, w[1]! / sum, w[2]! / sum] as const;
})();

const IDENTITY3 = [1, 0, 0, 0, 1, 0, 0, 0, 1] as const;

function linear(matrix: readonly number[], offset: readonly number[] = [0, 0, 0]): LinearColourStep {
  return { kind: 'linear', matrix, offset };
}

/** Multiplies every channel (torchvision's adjust_brightness). */
export function brightnessStep(factor: number): LinearColourStep {
  return linear(IDENTITY3.map((v) => v * factor));
}

/** Blends with the grey version of the pixel (torchvision's adjust_saturation). */
export function saturationStep(factor: number): LinearColourStep {
  const m: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++) m.push((r === c ? factor : 0) + (1 - factor) * LUMA[c]!);
  return linear(m);
}

/**
 * Rotates hue by `turns` of a full circle (0.5 = 180 degrees), as the CSS `hue-rotate` filter: a
 * rotation about the grey axis, linear so that it fuses with the other colour steps. It keeps
 * luminance, where torchvision's HSV shift keeps value; the two agree on the direction of travel.
 */
export function hueStep(turns: number): LinearColourStep {
  const t = turns * 2 * Math.PI;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return linear([
    0.213 + c * 0.787 - s * 0.213,
    0.715 - c * 0.715 - s * 0.715,
    0.072 - c * 0.072 + s * 0.928,
    0.213 - c * 0.213 + s * 0.143,
    0.715 + c * 0.285 + s * 0.14,
    0.072 - c * 0.072 - s * 0.283,
    0.213 - c * 0.213 - s * 0.787,
    0.715 - c * 0.715 + s * 0.715,
    0.072 + c * 0.928 + s * 0.072,
  ]);
}

/** Replaces every channel by the luma (the image stays 3-channel, as albumentations' ToGray). */
export function grayscaleStep(): LinearColourStep {
  return linear([...LUMA, ...LUMA, ...LUMA]);
}

export function invertStep(): LinearColourStep {
  return linear([-1, 0, 0, 0, -1, 0, 0, 0, -1], [255, 255, 255]);
}

/** Output channel i takes input channel `order[i]`. */
export function permutationStep(order: readonly number[]): LinearColourStep {
  const m = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) m[r * 3 + order[r]!] = 1;
  return linear(m);
}

export function contrastStep(factor: number): ColourStep {
  return { kind: 'contrast', factor };
}

export function needsMean(steps: readonly ColourStep[]): boolean {
  return steps.some((s) => s.kind === 'contrast');
}

/** A folded colour map: v' = matrix * v + offset on RGB in 8-bit units. */
export interface FoldedColour {
  matrix: number[];
  offset: number[];
}

/**
 * Folds a chain of steps into one matrix and offset. `mean` is the mean RGB of the image the
 * chain starts from (needed only by contrast steps); it is carried through the chain exactly,
 * since every step is linear.
 */
export function foldColour(
  steps: readonly ColourStep[],
  mean: readonly number[] = [128, 128, 128],
): FoldedColour {
  let m: number[] = [...IDENTITY3];
  let b = [0, 0, 0];
  let mu = [mean[0]!, mean[1]!, mean[2]!];
  for (const step of steps) {
    if (step.kind === 'linear') {
      m = mul3(step.matrix, m);
      b = add3(apply3(step.matrix, b), step.offset);
      mu = add3(apply3(step.matrix, mu), step.offset);
    } else {
      const f = step.factor;
      const grey = (1 - f) * (LUMA[0] * mu[0]! + LUMA[1] * mu[1]! + LUMA[2] * mu[2]!);
      m = m.map((v) => v * f);
      b = b.map((v) => v * f + grey);
      mu = mu.map((v) => v * f + grey);
    }
  }
  return { matrix: m, offset: b };
}

/** The folded map as it acts on a grey image (R = G = B = v, read back as luma). */
export function foldForGrey(folded: FoldedColour): { scale: number; offset: number } {
  let scale = 0;
  let offset = 0;
  for (let r = 0; r < 3; r++) {
    const rowSum = folded.matrix[r * 3]! + folded.matrix[r * 3 + 1]! + folded.matrix[r * 3 + 2]!;
    scale += LUMA[r]! * rowSum;
    offset += LUMA[r]! * folded.offset[r]!;
  }
  return { scale, offset };
}

export function isIdentityColour(folded: FoldedColour): boolean {
  return folded.matrix.every((v, i) => v === IDENTITY3[i]) && folded.offset.every((v) => v === 0);
}

function mul3(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      out.push(a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!);
  return out;
}

function apply3(m: readonly number[], v: readonly number[]): number[] {
  return [0, 1, 2].map((r) => m[r * 3]! * v[0]! + m[r * 3 + 1]! * v[1]! + m[r * 3 + 2]! * v[2]!);
}

function add3(a: readonly number[], b: readonly number[]): number[] {
  return [a[0]! + b[0]!, a[1]! + b[1]!, a[2]! + b[2]!];
}
