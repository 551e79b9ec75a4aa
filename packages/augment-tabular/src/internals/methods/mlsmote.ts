import { kNearestNeighbors } from '@growset/tables';
import { distanceFeatures, gatherRows } from '../table/encode.ts';
import {
  keepAll,
  type MethodContext,
  type MethodResult,
  requireNumericOnly,
  type SyntheticRow,
} from './common.ts';

/**
 * MLSMOTE (Charte et al., 2015) for multilabel rows: the label holds a row's labels joined by
 * `separator` (`'a|c'`). Labels whose imbalance ratio (most frequent label's count / its count)
 * exceeds the mean ratio are minority labels. For each minority label, every row carrying it
 * seeds one new row: numeric columns interpolated towards a random one of its `k` nearest rows
 * carrying the label, and the labels that at least half of the seed and its neighbours carry
 * (the paper's ranking).
 */
export function mlsmote(ctx: MethodContext<'mlsmote'>, optionsType: string): MethodResult {
  requireNumericOnly(ctx, optionsType);
  const { table, options } = ctx;
  const dims = table.schema.numeric.length;
  const features = distanceFeatures(table, options.standardize);
  const labelSets = Array.from(table.classOf, (c) => splitLabels(table.classes[c]!, options.separator));
  const names = [...new Set(labelSets.flat())].sort();
  const count = (sets: readonly (readonly string[])[]) =>
    names.map((name) => sets.reduce((a, s) => a + (s.includes(name) ? 1 : 0), 0));
  const before = count(labelSets);
  const most = Math.max(0, ...before);
  const ratios = before.map((n) => (n === 0 ? 0 : most / n));
  const meanRatio = ratios.reduce((a, b) => a + b, 0) / (ratios.length || 1);
  const synthetic: SyntheticRow[] = [];
  const made: string[][] = [];
  names.forEach((name, l) => {
    if (!(ratios[l]! > meanRatio)) return;
    const bag = Int32Array.from(labelSets.flatMap((set, i) => (set.includes(name) ? [i] : [])));
    const k = Math.min(options.k, bag.length - 1);
    if (k < 1) {
      ctx.warnings.push(`label \`${name}\` is on a single row: mlsmote made nothing for it`);
      return;
    }
    const rng = ctx.rng.fork(`label:${name}`);
    const around = kNearestNeighbors(gatherRows(features, dims, bag), dims, k);
    bag.forEach((base, p) => {
      const near = Array.from(around.indices.subarray(p * k, p * k + k), (q) => bag[q]!);
      const neighbor = near[rng.int(0, k - 1)]!;
      const gap = rng.float();
      const numeric = new Float64Array(dims);
      for (let j = 0; j < dims; j++) {
        const a = table.numeric[base * dims + j]!;
        numeric[j] = a + gap * (table.numeric[neighbor * dims + j]! - a);
      }
      const group = [base, ...near];
      const labels = names.filter(
        (candidate) => group.filter((row) => labelSets[row]!.includes(candidate)).length * 2 >= group.length,
      );
      if (!labels.includes(name)) labels.push(name);
      labels.sort();
      made.push(labels);
      synthetic.push({
        cls: table.classOf[base]!,
        parents: [base, neighbor, ...near.filter((r) => r !== neighbor)],
        numeric,
        codes: null,
        label: labels.join(options.separator),
        params: { k, gap, minorityLabel: name },
      });
    });
  });
  const after = count([...labelSets, ...made]);
  return { keep: keepAll(table), synthetic, groups: { names, before, after } };
}

function splitLabels(text: string, separator: string): string[] {
  return [
    ...new Set(
      text
        .split(separator)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    ),
  ];
}
