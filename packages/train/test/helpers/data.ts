import { type LabeledData, Rng } from '@growset/core';

/** Gaussian blobs: `classes` centres on a circle in the first two of `d` dimensions, unit noise scaled by `spread`. */
export function blobs(
  n: number,
  d: number,
  classes: number,
  seed: number | string,
  spread = 0.6,
): LabeledData {
  const rng = Rng.create(`blobs-${seed}`);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % classes;
    y[i] = c;
    const angle = (2 * Math.PI * c) / classes;
    for (let j = 0; j < d; j++) {
      const centre = j === 0 ? 2 * Math.cos(angle) : j === 1 ? 2 * Math.sin(angle) : 0;
      x[i * d + j] = centre + spread * rng.normal();
    }
  }
  return { x, y, featureShape: [d], classes: Array.from({ length: classes }, (_, c) => `c${c}`) };
}

/** Tiny images: class 0 has a bright left half, class 1 a bright top half, class 2 a bright diagonal; plus noise. */
export function tinyImages(n: number, size: number, seed: number | string, noise = 0.15): LabeledData {
  const rng = Rng.create(`images-${seed}`);
  const x = new Float32Array(n * size * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    y[i] = c;
    for (let r = 0; r < size; r++) {
      for (let col = 0; col < size; col++) {
        const on = c === 0 ? col < size / 2 : c === 1 ? r < size / 2 : Math.abs(r - col) <= 1;
        x[i * size * size + r * size + col] = (on ? 0.8 : 0.1) + noise * rng.normal();
      }
    }
  }
  return { x, y, featureShape: [size, size, 1], classes: ['left', 'top', 'diagonal'] };
}

/** Fraction of equal entries. */
export function agreement(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? 1 : same / a.length;
}
