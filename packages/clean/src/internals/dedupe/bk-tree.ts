/** A 64-bit perceptual hash as two 32-bit halves (JavaScript bit operations are 32-bit). */
export interface Hash64 {
  hi: number;
  lo: number;
}

/** Number of differing bits. */
export function hamming(a: Hash64, b: Hash64): number {
  return popcount((a.hi ^ b.hi) >>> 0) + popcount((a.lo ^ b.lo) >>> 0);
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** 16 hex digits. */
export function hashToHex(hash: Hash64): string {
  return (hash.hi >>> 0).toString(16).padStart(8, '0') + (hash.lo >>> 0).toString(16).padStart(8, '0');
}

/** Parses 16 hex digits; `undefined` for anything else. */
export function hexToHash(hex: unknown): Hash64 | undefined {
  if (typeof hex !== 'string' || !/^[0-9a-f]{16}$/.test(hex)) return undefined;
  return { hi: Number.parseInt(hex.slice(0, 8), 16), lo: Number.parseInt(hex.slice(8), 16) };
}

interface BkNode<T> {
  hash: Hash64;
  value: T;
  index: number;
  children: Map<number, BkNode<T>>;
}

/**
 * A Burkhard-Keller tree over Hamming distance: finds the stored hashes within a distance of a
 * query without comparing against all of them (the triangle inequality prunes subtrees).
 */
export class BkTree<T> {
  #root: BkNode<T> | undefined;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(hash: Hash64, value: T): void {
    const node: BkNode<T> = { hash, value, index: this.#size, children: new Map() };
    this.#size += 1;
    if (this.#root === undefined) {
      this.#root = node;
      return;
    }
    let current = this.#root;
    for (;;) {
      const d = hamming(hash, current.hash);
      const child = current.children.get(d);
      if (child === undefined) {
        current.children.set(d, node);
        return;
      }
      current = child;
    }
  }

  /** The stored entry closest to `hash` within `maxDistance` (ties: the one added first), if any. */
  nearest(hash: Hash64, maxDistance: number): { value: T; distance: number } | undefined {
    let best: BkNode<T> | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    const stack: BkNode<T>[] = this.#root ? [this.#root] : [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const d = hamming(hash, node.hash);
      if (d <= maxDistance && (d < bestDistance || (d === bestDistance && node.index < best!.index))) {
        best = node;
        bestDistance = d;
      }
      for (const [edge, child] of node.children) {
        if (edge >= d - maxDistance && edge <= d + maxDistance) stack.push(child);
      }
    }
    return best === undefined ? undefined : { value: best.value, distance: bestDistance };
  }
}
