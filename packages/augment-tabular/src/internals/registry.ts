import type { JsonObject } from '@growset/core';
import { adasyn } from './methods/adasyn.ts';
import { bootstrap } from './methods/bootstrap.ts';
import { borderlineSmote } from './methods/borderline.ts';
import {
  allKnn,
  editedNearestNeighbours,
  neighbourhoodCleaningRule,
  repeatedEditedNearestNeighbours,
  tomekLinks,
} from './methods/cleaning.ts';
import { clusterCentroids } from './methods/cluster-centroids.ts';
import type { MethodContext, MethodResult } from './methods/common.ts';
import { condensedNearestNeighbour, oneSidedSelection } from './methods/condensed.ts';
import { instanceHardnessThreshold } from './methods/hardness.ts';
import { kmeansSmote } from './methods/kmeans-smote.ts';
import { mixup } from './methods/mixup.ts';
import { mlsmote } from './methods/mlsmote.ts';
import { nearMiss } from './methods/nearmiss.ts';
import { gaussianNoise } from './methods/noise.ts';
import { randomOverSample } from './methods/over.ts';
import { regressionSmote } from './methods/regression.ts';
import { smote } from './methods/smote.ts';
import { smoteEnn, smoteTomek } from './methods/smote-combine.ts';
import { smoteN } from './methods/smote-n.ts';
import { smoteNC } from './methods/smote-nc.ts';
import { svmSmote } from './methods/svm-smote.ts';
import { randomUnderSample } from './methods/under.ts';
import { METHODS, type MethodName, type ParsedOptionsOf, type SamplingStrategy } from './options.ts';

/**
 * What a method does to class counts:
 * - `over`: adds rows until each class reaches its strategy target;
 * - `under`: removes rows (or replaces them) down to each class's strategy target;
 * - `any`: either (the bootstrap);
 * - `clean`: removes the rows the data singles out (noisy, borderline, redundant) from the classes
 *   it is told to clean; counts after depend on the data, and it takes `classes`, not `strategy`;
 * - `over-clean`: over-samples to the strategy, then cleans (counts end at or below the targets);
 * - `regression`: the label is a numeric target; groups are bins of rare and normal targets;
 * - `multilabel`: the label holds several labels; groups are the single labels.
 */
export type MethodKind = 'over' | 'under' | 'any' | 'clean' | 'over-clean' | 'regression' | 'multilabel';

/** One resampling method: how it runs and how it is presented. */
export interface MethodEntry<M extends MethodName> {
  readonly kind: MethodKind;
  /** One line for `--help` and the README catalogue. */
  readonly summary: string;
  /** Why an original row it leaves out was filtered (the stage's reason). */
  readonly removedReason?: string;
  /** Other kebab-case names, each with the options it presets (`nearmiss-2` is `nearMiss` with `version: 2`). */
  readonly aliases?: { readonly [name: string]: JsonObject };
  /** Whether it computes with the numeric values (so they must be present and numeric). @default always */
  readonly needsValues?: (options: ParsedOptionsOf<M>) => boolean;
  /** @default 'auto' */
  readonly defaultStrategy?: SamplingStrategy;
  /** Its output does not depend on the random generator (the seed). @default false */
  readonly deterministic?: boolean;
  readonly run: (ctx: MethodContext<M>, optionsType: string) => MethodResult;
}

/**
 * Every resampling method. The conformance suite, `resample`, the stage and the CLI's method list
 * all read it: a method is added here (and its options schema in `options.ts`) and nowhere else.
 */
export const REGISTRY: { readonly [M in MethodName]: MethodEntry<M> } = {
  gaussianNoise: {
    kind: 'over',
    summary: 'noisy copies: Gaussian noise scaled to each numeric column, optional category swaps',
    run: gaussianNoise,
  },
  randomOverSample: {
    kind: 'over',
    summary: "copies of random rows of the class; with shrinkage, imbalanced-learn's smoothed bootstrap",
    needsValues: (o) => o.shrinkage > 0,
    run: randomOverSample,
  },
  randomUnderSample: {
    kind: 'under',
    summary: 'keeps a random subset of each class',
    removedReason: 'under-sampled',
    needsValues: () => false,
    run: randomUnderSample,
  },
  smote: {
    kind: 'over',
    summary: 'points between a row and one of its k nearest same-class rows (numeric columns)',
    run: smote,
  },
  smoteNC: {
    kind: 'over',
    summary: 'SMOTE for numeric plus categorical columns (categories by neighbour vote)',
    run: smoteNC,
  },
  borderlineSmote: {
    kind: 'over',
    summary: 'SMOTE from rows in danger (half or more of their m neighbours in other classes)',
    aliases: {
      'borderline-smote-1': { kind: 'borderline-1' },
      'borderline-smote-2': { kind: 'borderline-2' },
    },
    run: borderlineSmote,
  },
  adasyn: {
    kind: 'over',
    summary: 'SMOTE with more points from rows with more other-class neighbours',
    run: adasyn,
  },
  mixup: {
    kind: 'over',
    summary: 'convex combinations of two rows with Beta(alpha, alpha) weights and soft labels',
    run: mixup,
  },
  bootstrap: {
    kind: 'any',
    summary: 'draws with replacement (per class by default); undrawn rows are removed',
    removedReason: 'not drawn by the bootstrap',
    needsValues: () => false,
    defaultStrategy: { factor: 1 },
    run: bootstrap,
  },
  tomekLinks: {
    deterministic: true,
    kind: 'clean',
    summary: 'removes rows in Tomek links (mutual nearest neighbours of different classes)',
    removedReason: 'in a Tomek link',
    run: tomekLinks,
  },
  editedNearestNeighbours: {
    deterministic: true,
    kind: 'clean',
    summary: 'removes rows whose k nearest neighbours disagree with their class (ENN)',
    removedReason: 'edited out: neighbours of another class',
    aliases: { enn: {} },
    run: editedNearestNeighbours,
  },
  repeatedEditedNearestNeighbours: {
    deterministic: true,
    kind: 'clean',
    summary: 'ENN repeated until it removes nothing more',
    removedReason: 'edited out: neighbours of another class',
    aliases: { 'repeated-enn': {}, renn: {} },
    run: repeatedEditedNearestNeighbours,
  },
  allKnn: {
    deterministic: true,
    kind: 'clean',
    summary: 'ENN with 1, 2, ..., k neighbours in turn',
    removedReason: 'edited out: neighbours of another class',
    run: allKnn,
  },
  neighbourhoodCleaningRule: {
    deterministic: true,
    kind: 'clean',
    summary: 'ENN plus the large-class neighbours of misclassified minority rows',
    removedReason: 'cleaned: neighbourhood cleaning rule',
    aliases: { ncr: {} },
    run: neighbourhoodCleaningRule,
  },
  condensedNearestNeighbour: {
    kind: 'clean',
    summary: 'keeps only the rows a 1-NN needs to classify the class right (Hart)',
    removedReason: 'not needed by the condensed set',
    aliases: { cnn: {} },
    run: condensedNearestNeighbour,
  },
  oneSidedSelection: {
    kind: 'clean',
    summary: 'condensed-NN-style selection, then Tomek links removed',
    removedReason: 'not kept by one-sided selection',
    aliases: { oss: {} },
    run: oneSidedSelection,
  },
  nearMiss: {
    deterministic: true,
    kind: 'under',
    summary: 'keeps the rows nearest the minority class (version 1, 2 or 3)',
    removedReason: 'under-sampled by NearMiss',
    aliases: { 'nearmiss-1': { version: 1 }, 'nearmiss-2': { version: 2 }, 'nearmiss-3': { version: 3 } },
    run: nearMiss,
  },
  instanceHardnessThreshold: {
    kind: 'under',
    summary: 'keeps the rows a cross-validated k-NN classifies most confidently',
    removedReason: 'too hard to classify',
    aliases: { iht: {} },
    run: instanceHardnessThreshold,
  },
  clusterCentroids: {
    kind: 'under',
    summary: 'replaces a class by k-means centroids (or the rows nearest them)',
    removedReason: 'replaced by cluster centroids',
    run: clusterCentroids,
  },
  svmSmote: {
    kind: 'over',
    summary: 'SMOTE from SVM support vectors: inwards from those in danger, outwards from safe ones',
    run: svmSmote,
  },
  kmeansSmote: {
    kind: 'over',
    summary: 'SMOTE inside k-means clusters where the class is frequent, more in sparse clusters',
    run: kmeansSmote,
  },
  smoteN: {
    kind: 'over',
    summary: 'SMOTE for all-categorical rows: value difference metric, categories by vote',
    run: smoteN,
  },
  smoteEnn: {
    kind: 'over-clean',
    summary: 'SMOTE, then ENN over originals and new rows',
    removedReason: 'edited out after SMOTE: neighbours of another class',
    run: smoteEnn,
  },
  smoteTomek: {
    kind: 'over-clean',
    summary: 'SMOTE, then Tomek links removed over originals and new rows',
    removedReason: 'in a Tomek link after SMOTE',
    run: smoteTomek,
  },
  smoter: {
    kind: 'regression',
    summary: 'SMOTE for regression: rare targets grown, targets averaged by inverse distance',
    removedReason: 'under-sampled: normal target',
    run: regressionSmote,
  },
  smogn: {
    kind: 'regression',
    summary: 'SMOTER towards close neighbours, Gaussian noise otherwise',
    removedReason: 'under-sampled: normal target',
    run: regressionSmote,
  },
  mlsmote: {
    kind: 'multilabel',
    summary: 'multilabel SMOTE: rows of minority labels grown, labels by neighbour ranking',
    run: mlsmote,
  },
};

/** The entry of a method, typed for dispatch. */
export function entryOf(method: MethodName): MethodEntry<MethodName> {
  return REGISTRY[method] as unknown as MethodEntry<MethodName>;
}

/** `smoteNC` -> `smote-nc`, `tomekLinks` -> `tomek-links`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** A method as the command line names it. */
export interface MethodAlias {
  /** Kebab-case name. */
  readonly name: string;
  readonly method: MethodName;
  /** Options the name presets. */
  readonly preset: JsonObject;
  readonly summary: string;
}

/** Every kebab-case name of every method (its own name first, then its aliases), from the registry. */
export function methodNames(): MethodAlias[] {
  return METHODS.flatMap((method) => {
    const entry = entryOf(method);
    return [
      { name: kebabCase(method), method, preset: {}, summary: entry.summary },
      ...Object.entries(entry.aliases ?? {}).map(([name, preset]) => ({
        name,
        method,
        preset,
        summary: entry.summary,
      })),
    ];
  });
}

/** A method by any of its names (camelCase or kebab-case, case-insensitive), with its preset. */
export function findMethod(name: string): MethodAlias | undefined {
  const key = name.trim().toLowerCase();
  const all = methodNames();
  return (
    all.find((a) => a.name === key) ??
    all.find((a) => a.method.toLowerCase() === key.replace(/[-_]/g, '')) ??
    all.find((a) => a.name.replace(/-/g, '') === key.replace(/[-_]/g, ''))
  );
}
