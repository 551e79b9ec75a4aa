/** How numeric features are scaled before training. */
export const SCALINGS = ['standardize', 'minmax', 'none'] as const;
export type Scaling = (typeof SCALINGS)[number];

/**
 * The scaling that suits a table of `rows` x `d` numeric features read through `value(i, j)`:
 * `minmax` when every feature looks like a bounded non-negative intensity on one shared scale
 * (all values integers in [0, 255] or all in [0, 1], and at least half of the non-constant
 * features reach the same maximum, as pixels do), else `standardize`. Missing or non-finite
 * values are left out. On scikit-learn's digits (0..16 pixel intensities) min-max scaling is 0.1
 * to 5 points above z-scores for logistic regression and an MLP at 20 to 200 rows; on iris and
 * penguins (measurements in unrelated units) z-scores are 4 to 11 points above min-max
 * (`packages/train/bench/reference/sklearn-curves.json`). Train and study both decide with this.
 */
export function chooseScaling(
  rows: number,
  d: number,
  value: (row: number, feature: number) => number | null | undefined,
): Exclude<Scaling, 'none'> {
  if (rows === 0 || d === 0) return 'standardize';
  let integers = true;
  let unit = true;
  const min = new Float64Array(d).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(d).fill(Number.NEGATIVE_INFINITY);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = value(i, j);
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      if (v < 0) return 'standardize';
      if (v > 1) unit = false;
      if (v > 255 || !Number.isInteger(v)) integers = false;
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
    if (!integers && !unit) return 'standardize';
  }
  let top = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < d; j++) top = Math.max(top, max[j]!);
  let varying = 0;
  let atTop = 0;
  for (let j = 0; j < d; j++) {
    if (max[j]! > min[j]!) {
      varying++;
      if (max[j] === top) atTop++;
    }
  }
  return varying > 0 && atTop * 2 >= varying ? 'minmax' : 'standardize';
}
