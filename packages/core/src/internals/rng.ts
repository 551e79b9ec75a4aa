/**
 * Seeded, forkable random numbers.
 *
 * Algorithm (stable across versions; changing it is a breaking change):
 * - A generator is identified by a 128-bit key. `Rng.create(seed)` sets the key to
 *   MurmurHash3_x86_128 (seed 0) of the UTF-8 text `growset:<seed>`.
 * - `fork(label)` derives a child key as MurmurHash3_x86_128 of the parent key's 16 bytes
 *   (little-endian words), a 0x00 byte and the UTF-8 label. Forking never reads or advances the
 *   parent's stream, so a child depends only on the parent's key and the label: the same stage
 *   name or sample id gets the same numbers whatever the order in which work completes.
 * - Numbers come from xoshiro128** (Blackman and Vigna, 2018) whose 128-bit state starts at the
 *   key (an all-zero key, which xoshiro cannot use, is replaced by a fixed constant).
 * - `float()` joins two 32-bit outputs into a 53-bit fraction in [0, 1); `int()` draws a 32-bit value and
 *   rejects values above the largest multiple of the range (unbiased); `normal()` uses Box-Muller (no cached spare, so every
 *   call consumes exactly two floats).
 */
export class Rng {
  readonly #key: Uint32Array;
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  private constructor(key: Uint32Array) {
    this.#key = key;
    const zero = key[0] === 0 && key[1] === 0 && key[2] === 0 && key[3] === 0;
    this.#s0 = zero ? 0x9e3779b9 : key[0]!;
    this.#s1 = key[1]!;
    this.#s2 = key[2]!;
    this.#s3 = key[3]!;
  }

  /** A generator for a seed (number or string). The same seed always gives the same stream. */
  static create(seed: number | string): Rng {
    if (typeof seed === 'number' && !Number.isFinite(seed)) {
      throw new TypeError(`Expected \`seed\` to be a finite number or a string, got \`${seed}\` (number)`);
    }
    return new Rng(murmur3x86_128(utf8(`growset:${String(seed)}`)));
  }

  /** Restores a generator from the hex key printed by {@link Rng.key} (at its stream start). */
  static fromKey(hex: string): Rng {
    if (!/^[0-9a-f]{32}$/.test(hex)) throw new TypeError(`Expected a 32-digit hex key, got \`${hex}\``);
    const key = new Uint32Array(4);
    for (let i = 0; i < 4; i++) key[i] = Number.parseInt(hex.slice(i * 8, i * 8 + 8), 16);
    return new Rng(key);
  }

  /** The 128-bit key as 32 hex digits; identifies this generator's stream. */
  get key(): string {
    return Array.from(this.#key, (w) => w.toString(16).padStart(8, '0')).join('');
  }

  /** An independent generator for `label` (a stage name, a sample id, a trial). */
  fork(label: string | number): Rng {
    const labelBytes = utf8(String(label));
    const bytes = new Uint8Array(17 + labelBytes.length);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < 4; i++) view.setUint32(i * 4, this.#key[i]!, true);
    bytes[16] = 0;
    bytes.set(labelBytes, 17);
    return new Rng(murmur3x86_128(bytes));
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 ^= s0;
    this.#s3 ^= s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform float in [min, max). */
  uniform(min = 0, max = 1): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`Expected integers with min <= max, got min=${min}, max=${max}`);
    }
    const range = max - min + 1;
    if (range <= 0x100000000) return min + this.#bounded(range);
    // Wider than 32 bits: combine two draws.
    for (;;) {
      const value = Math.floor(this.float() * range);
      if (value < range) return min + value;
    }
  }

  /** Unbiased integer in [0, n) for 1 <= n <= 2^32: rejection above the largest multiple of n. */
  #bounded(n: number): number {
    const limit = 0x100000000 - (0x100000000 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Normally distributed number (Box-Muller). */
  normal(mean = 0, std = 1): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** `true` with probability `p`. */
  bool(p = 0.5): boolean {
    return this.float() < p;
  }

  /** One element chosen uniformly. Throws on an empty array. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('choice() needs a non-empty array');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Index chosen with probability proportional to `weights` (non-negative, not all zero). */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w))
        throw new RangeError(`weights[${i}] must be a finite number >= 0, got ${w}`);
      total += w;
    }
    if (total <= 0) throw new RangeError('weightedIndex() needs at least one positive weight');
    let target = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i]!;
      if (target < 0) return i;
    }
    // Floating-point residue: return the last positive weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    this.shuffleInPlace(copy);
    return copy;
  }

  /** Shuffles an array or typed array in place (Fisher-Yates) and returns it. */
  shuffleInPlace<A extends { [index: number]: unknown; length: number }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.#bounded(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffleInPlace(out);
  }

  /** `k` distinct elements in random order (sampling without replacement). */
  sample<T>(items: readonly T[], k: number): T[] {
    if (!Number.isInteger(k) || k < 0 || k > items.length) {
      throw new RangeError(`sample() needs 0 <= k <= ${items.length}, got k=${k}`);
    }
    const copy = items.slice();
    // Partial Fisher-Yates: the first k positions end up a uniform sample.
    for (let i = 0; i < k; i++) {
      const j = i + this.#bounded(copy.length - i);
      const tmp = copy[i]!;
      copy[i] = copy[j]!;
      copy[j] = tmp;
    }
    return copy.slice(0, k);
  }

  /** A 31-bit non-negative integer, for libraries that take a numeric seed. */
  seedInt(): number {
    return this.nextUint32() >>> 1;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const encoder = new TextEncoder();
function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** MurmurHash3 x86_128 (Austin Appleby, public domain), seed 0, as four 32-bit words. */
export function murmur3x86_128(bytes: Uint8Array, seed = 0): Uint32Array {
  const c1 = 0x239b961b;
  const c2 = 0xab0e9789;
  const c3 = 0x38b34ae5;
  const c4 = 0xa1e38b93;
  let h1 = seed >>> 0;
  let h2 = seed >>> 0;
  let h3 = seed >>> 0;
  let h4 = seed >>> 0;
  const length = bytes.length;
  const blocks = length >>> 4;
  const word = (i: number) =>
    bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);

  for (let i = 0; i < blocks; i++) {
    let k1 = word(i * 16);
    let k2 = word(i * 16 + 4);
    let k3 = word(i * 16 + 8);
    let k4 = word(i * 16 + 12);

    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = rotl(h1, 19);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;

    k2 = Math.imul(k2, c2);
    k2 = rotl(k2, 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
    h2 = rotl(h2, 17);
    h2 = (h2 + h3) | 0;
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;

    k3 = Math.imul(k3, c3);
    k3 = rotl(k3, 17);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
    h3 = rotl(h3, 15);
    h3 = (h3 + h4) | 0;
    h3 = (Math.imul(h3, 5) + 0x96cd1c35) | 0;

    k4 = Math.imul(k4, c4);
    k4 = rotl(k4, 18);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
    h4 = rotl(h4, 13);
    h4 = (h4 + h1) | 0;
    h4 = (Math.imul(h4, 5) + 0x32ac3b17) | 0;
  }

  const tail = blocks * 16;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  let k4 = 0;
  const rest = length & 15;
  if (rest > 12) {
    if (rest >= 15) k4 ^= bytes[tail + 14]! << 16;
    if (rest >= 14) k4 ^= bytes[tail + 13]! << 8;
    k4 ^= bytes[tail + 12]!;
    k4 = Math.imul(k4, c4);
    k4 = rotl(k4, 18);
    k4 = Math.imul(k4, c1);
    h4 ^= k4;
  }
  if (rest > 8) {
    if (rest >= 12) k3 ^= bytes[tail + 11]! << 24;
    if (rest >= 11) k3 ^= bytes[tail + 10]! << 16;
    if (rest >= 10) k3 ^= bytes[tail + 9]! << 8;
    k3 ^= bytes[tail + 8]!;
    k3 = Math.imul(k3, c3);
    k3 = rotl(k3, 17);
    k3 = Math.imul(k3, c4);
    h3 ^= k3;
  }
  if (rest > 4) {
    if (rest >= 8) k2 ^= bytes[tail + 7]! << 24;
    if (rest >= 7) k2 ^= bytes[tail + 6]! << 16;
    if (rest >= 6) k2 ^= bytes[tail + 5]! << 8;
    k2 ^= bytes[tail + 4]!;
    k2 = Math.imul(k2, c2);
    k2 = rotl(k2, 16);
    k2 = Math.imul(k2, c3);
    h2 ^= k2;
  }
  if (rest > 0) {
    if (rest >= 4) k1 ^= bytes[tail + 3]! << 24;
    if (rest >= 3) k1 ^= bytes[tail + 2]! << 16;
    if (rest >= 2) k1 ^= bytes[tail + 1]! << 8;
    k1 ^= bytes[tail]!;
    k1 = Math.imul(k1, c1);
    k1 = rotl(k1, 15);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }

  h1 ^= length;
  h2 ^= length;
  h3 ^= length;
  h4 ^= length;

  h1 = (h1 + h2) | 0;
  h1 = (h1 + h3) | 0;
  h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;

  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h3 = fmix32(h3);
  h4 = fmix32(h4);

  h1 = (h1 + h2) | 0;
  h1 = (h1 + h3) | 0;
  h1 = (h1 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;

  return Uint32Array.of(h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** A short stable hex hash of a string (first 32 bits of MurmurHash3_x86_128), for names and ids. */
export function shortHash(text: string, hexDigits = 8): string {
  const words = murmur3x86_128(utf8(text));
  return Array.from(words, (w) => w.toString(16).padStart(8, '0'))
    .join('')
    .slice(0, hexDigits);
}
