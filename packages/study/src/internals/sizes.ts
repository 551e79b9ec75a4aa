/** Log-spaced training sizes between `min` and `max` (inclusive), rounded and distinct. */
export function logSpacedSizes(min: number, max: number, count: number): number[] {
  if (max <= min || count <= 1) return [Math.max(1, Math.round(max))];
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(Math.round(min * (max / min) ** (i / (count - 1))));
  return [...out].sort((a, b) => a - b);
}
