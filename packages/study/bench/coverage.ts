// Coverage of the paired 95% interval on simulated studies with a known true difference, 2,000
// repetitions per design (the test suite runs 400): `npx tsx packages/study/bench/coverage.ts`.
import { Rng } from '@growset/core';
import { normalCdf, pairedInterval } from '../src/index.ts';

const designs = [
  { seeds: 3, items: 150, splits: 1, mu: 1, shift: 0.15, itemSd: 1, seedSd: 0.2, treatmentSeedSd: 0.15 },
  { seeds: 5, items: 200, splits: 1, mu: 0.8, shift: 0, itemSd: 1.2, seedSd: 0.1, treatmentSeedSd: 0 },
  { seeds: 2, items: 60, splits: 3, mu: 1.2, shift: -0.2, itemSd: 0.8, seedSd: 0.2, treatmentSeedSd: 0.1 },
  { seeds: 5, items: 250, splits: 1, mu: 1, shift: 0.1, itemSd: 1, seedSd: 0.3, treatmentSeedSd: 0.3 },
];
for (const [k, d] of designs.entries()) {
  const rng = Rng.create(`big-${k}`);
  const truth =
    normalCdf((d.mu + d.shift) / Math.sqrt(1 + d.itemSd ** 2 + d.seedSd ** 2 + d.treatmentSeedSd ** 2)) -
    normalCdf(d.mu / Math.sqrt(1 + d.itemSd ** 2 + d.seedSd ** 2));
  let cov = 0;
  const reps = 2000;
  let mdd = 0;
  for (let r = 0; r < reps; r++) {
    const blocks = [];
    for (let s = 0; s < d.splits; s++) {
      const diff = Array.from({ length: d.items }, () => rng.normal(0, d.itemSd));
      const rows = [];
      for (let q = 0; q < d.seeds; q++) {
        const se = rng.normal(0, d.seedSd),
          te = rng.normal(0, d.treatmentSeedSd);
        const row = new Float64Array(d.items);
        for (let i = 0; i < d.items; i++) {
          const sh = d.mu + diff[i]! + se;
          row[i] = (sh + d.shift + te + rng.normal() > 0 ? 1 : 0) - (sh + rng.normal() > 0 ? 1 : 0);
        }
        rows.push(row);
      }
      blocks.push(rows);
    }
    const iv = pairedInterval(blocks)!;
    if (iv.ci[0] <= truth && truth <= iv.ci[1]) cov++;
    mdd += iv.minimumDetectable / reps;
  }
  console.log(
    k,
    JSON.stringify(d),
    'coverage',
    (cov / reps).toFixed(4),
    'mean MDD',
    (100 * mdd).toFixed(2),
    'pts',
  );
}
