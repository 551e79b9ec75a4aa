import type { CleaningReport } from '@growset/tables';

/** One sample dropped (or flagged) as a copy of a kept one. */
export interface DuplicateEntry {
  id: string;
  label: string | null;
  /** `exact`: same content hash; `near`: perceptual hash within the threshold. */
  match: 'exact' | 'near';
  /** Hamming distance of the perceptual hashes (0 for exact copies). */
  distance: number;
  /** Its label differs from the kept sample's. */
  conflict: boolean;
}

/** A kept sample and the copies of it that were found. */
export interface DuplicateGroup {
  kept: string;
  keptLabel: string | null;
  duplicates: DuplicateEntry[];
}

/** What a dedupe stage found. */
export interface DedupeReport extends CleaningReport {
  kind: 'dedupe-rows' | 'dedupe-images';
  checked: number;
  /** Exact copies found (dropped unless their label conflicts). */
  exact: number;
  /** Near copies found. */
  near: number;
  /** Copies whose label differs from the kept sample's: likely label noise. */
  conflictingLabels: number;
  /** What happened to copies with conflicting labels. */
  conflicts: 'quarantine' | 'keep' | 'filter';
  groups: DuplicateGroup[];
  /** More groups were found than the report keeps (`maxGroups`). */
  groupsTruncated: boolean;
}

/** Collects duplicate groups in first-seen order, up to a limit. */
export class GroupCollector {
  readonly #groups = new Map<string, DuplicateGroup>();
  readonly #max: number;
  truncated = false;

  constructor(max: number) {
    this.#max = max;
  }

  add(kept: { id: string; label: string | null }, entry: DuplicateEntry): void {
    let group = this.#groups.get(kept.id);
    if (group === undefined) {
      if (this.#groups.size >= this.#max) {
        this.truncated = true;
        return;
      }
      group = { kept: kept.id, keptLabel: kept.label, duplicates: [] };
      this.#groups.set(kept.id, group);
    }
    group.duplicates.push(entry);
  }

  list(): DuplicateGroup[] {
    return [...this.#groups.values()];
  }
}

/** What to do with a copy, given the policy for conflicting labels. */
export function duplicateOutcome(
  conflict: boolean,
  policy: 'quarantine' | 'keep' | 'filter',
): 'filter' | 'quarantine' | 'keep' {
  if (!conflict) return 'filter';
  return policy;
}
