import { availableParallelism } from 'node:os';
import {
  concurrentMap,
  errorMessage,
  hardLabel,
  type ImagePayload,
  isRawImage,
  parseOptions,
  type Sample,
} from '@growset/core';
import type { CleaningStage } from '@growset/tables';
import { z } from 'zod';
import { BkTree, type Hash64, hexToHash } from './bk-tree.ts';
import { bytesHash } from './content-hash.ts';
import { type DedupeReport, duplicateOutcome, GroupCollector } from './groups.ts';
import { type PerceptualHashKind, perceptualHash } from './perceptual-hash.ts';

const optionsSchema = z.strictObject({
  exact: z.boolean().default(true),
  near: z.union([z.enum(['dhash', 'phash']), z.literal(false)]).default('dhash'),
  threshold: z.int().min(0).max(32).default(2),
  conflicts: z.enum(['quarantine', 'keep', 'filter']).default('quarantine'),
  maxGroups: z.int().min(0).default(1000),
  maxPixels: z.int().min(1).default(40_000_000),
  concurrency: z.int().min(1).max(256).optional(),
  name: z.string().min(1).default('dedupe-images'),
});

/** Options of {@link dedupeImages}. */
export interface DedupeImagesOptions {
  /** Drop byte-identical copies (SHA-256 of the encoded bytes). @default true */
  exact?: boolean;
  /** Perceptual hash for near copies (resized, recompressed, slightly edited), or `false`. @default 'dhash' */
  near?: PerceptualHashKind | false;
  /** Largest Hamming distance (of 64 bits) between two near copies (resized or recompressed copies are 0-1 apart; distinct 28x28 MNIST digits: 2% within 2, 8% within 4). @default 2 */
  threshold?: number;
  /** A copy whose label differs from the kept image's: `quarantine`, `keep` or `filter` it. @default 'quarantine' */
  conflicts?: 'quarantine' | 'keep' | 'filter';
  /** Duplicate groups kept in the report. @default 1000 */
  maxGroups?: number;
  /** Largest image decoded to compute a hash (decompression-bomb guard). @default 40000000 */
  maxPixels?: number;
  /** Images hashed at once. @default the number of CPUs */
  concurrency?: number;
  /** Stage name. @default 'dedupe-images' */
  name?: string;
}

interface Kept {
  id: string;
  label: string | null;
}

/**
 * A stage dropping duplicate images, imagehash-style: exact copies by content hash, near copies
 * (resized, recompressed) by dHash or pHash within a Hamming threshold. The first image is kept;
 * each later copy is filtered as `duplicate` or `near duplicate` naming the kept id and the
 * distance. A copy with another label is a label conflict (see `conflicts`). A perceptual hash
 * already in `meta` (computed by {@link checkImages}) is reused; an image that cannot be decoded
 * is quarantined. Near copies are found with a BK-tree, not by comparing every pair.
 */
export function dedupeImages(
  options: DedupeImagesOptions = {},
): CleaningStage<Sample<ImagePayload>, Sample<ImagePayload>, DedupeReport> {
  const opts = parseOptions(optionsSchema, options, 'DedupeImagesOptions');
  const concurrency = opts.concurrency ?? Math.max(2, availableParallelism());
  let report = emptyReport(opts.name, opts.conflicts);
  return {
    name: opts.name,
    report: () => report,
    async *run(input, ctx) {
      report = emptyReport(opts.name, opts.conflicts);
      const groups = new GroupCollector(opts.maxGroups);
      const exact = new Map<string, Kept>();
      const near = new BkTree<Kept>();
      const kind = opts.near;
      const hashed = concurrentMap(
        input,
        async (sample: Sample<ImagePayload>) => {
          try {
            const content = opts.exact ? contentHash(sample.payload) : undefined;
            let perceptual: string | undefined;
            if (kind !== false) {
              const known = sample.meta?.[kind];
              perceptual =
                hexToHash(known) !== undefined
                  ? (known as string)
                  : await perceptualHash(sample.payload, kind, {
                      maxPixels: opts.maxPixels,
                      failOn: 'warning',
                    });
            }
            return { sample, content, perceptual, error: undefined };
          } catch (error) {
            return { sample, content: undefined, perceptual: undefined, error };
          }
        },
        { concurrency, ordered: true, signal: ctx.signal },
      );
      for await (const { sample, content, perceptual, error } of hashed) {
        report.checked += 1;
        if (error !== undefined) {
          ctx.quarantine(sample, 'undecodable image', { detail: errorMessage(error), cause: error });
          continue;
        }
        const label = hardLabel(sample.label) ?? null;
        const hash: Hash64 | undefined = perceptual === undefined ? undefined : hexToHash(perceptual);
        let match: { kept: Kept; match: 'exact' | 'near'; distance: number } | undefined;
        const sameBytes = content === undefined ? undefined : exact.get(content);
        if (sameBytes) match = { kept: sameBytes, match: 'exact', distance: 0 };
        else if (hash !== undefined) {
          const found = near.nearest(hash, opts.threshold);
          if (found) match = { kept: found.value, match: 'near', distance: found.distance };
        }
        const out =
          kind !== false && perceptual !== undefined && sample.meta?.[kind] !== perceptual
            ? { ...sample, meta: { ...(sample.meta ?? {}), [kind]: perceptual } }
            : sample;
        if (match === undefined) {
          const kept = { id: sample.id, label };
          if (content !== undefined) exact.set(content, kept);
          if (hash !== undefined) near.add(hash, kept);
          yield out;
          continue;
        }
        const conflict = match.kept.label !== label;
        if (match.match === 'exact') report.exact += 1;
        else report.near += 1;
        if (conflict) report.conflictingLabels += 1;
        groups.add(match.kept, {
          id: sample.id,
          label,
          match: match.match,
          distance: match.distance,
          conflict,
        });
        const what =
          match.match === 'exact'
            ? `same bytes as ${match.kept.id}`
            : `looks like ${match.kept.id} (${kind} distance ${match.distance} <= ${opts.threshold})`;
        const detail = conflict
          ? `${what}, labelled ${JSON.stringify(match.kept.label)} there and ${JSON.stringify(label)} here`
          : what;
        const outcome = duplicateOutcome(conflict, opts.conflicts);
        if (outcome === 'keep') yield out;
        else if (outcome === 'quarantine') ctx.quarantine(sample, 'conflicting duplicate label', { detail });
        else if (conflict) ctx.filter(sample, 'conflicting duplicate label', detail);
        else ctx.filter(sample, match.match === 'exact' ? 'duplicate' : 'near duplicate', detail);
      }
      report.groups = groups.list();
      report.groupsTruncated = groups.truncated;
    },
  };
}

function contentHash(payload: ImagePayload): string {
  if (isRawImage(payload)) {
    const bytes = new Uint8Array(payload.data.buffer, payload.data.byteOffset, payload.data.byteLength);
    return `${payload.width}x${payload.height}x${payload.channels}:${bytesHash(bytes)}`;
  }
  return bytesHash(payload.data);
}

function emptyReport(stage: string, conflicts: DedupeReport['conflicts']): DedupeReport {
  return {
    kind: 'dedupe-images',
    stage,
    checked: 0,
    exact: 0,
    near: 0,
    conflictingLabels: 0,
    conflicts,
    groups: [],
    groupsTruncated: false,
  };
}
