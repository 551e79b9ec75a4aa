import type { SamplingStrategy } from './options.ts';

/**
 * Reads a sampling strategy written on a command line: `auto`, a ratio (`0.5`), a factor (`x2`)
 * or per-class counts (`Adelie=150,Gentoo=150`). Returns an error message instead of throwing.
 */
export function parseStrategyText(text: string): SamplingStrategy | { error: string } {
  const value = text.trim();
  if (value === 'auto') return 'auto';
  if (/^x/i.test(value)) {
    const factor = Number(value.slice(1));
    return Number.isFinite(factor) && factor > 0
      ? { factor }
      : { error: `a factor after \`x\` > 0, got \`${text}\`` };
  }
  if (!value.includes('=')) {
    const ratio = Number(value);
    if (value !== '' && Number.isFinite(ratio) && ratio > 0 && ratio <= 1) return ratio;
    const hint = Number.isFinite(ratio) && ratio > 1 ? ` (to multiply every class, write \`x${value}\`)` : '';
    return {
      error: `\`auto\`, a ratio in (0, 1], \`x<factor>\` or \`class=count,...\`, got \`${text}\`${hint}`,
    };
  }
  const counts: { [className: string]: number } = {};
  for (const part of value.split(',')) {
    const at = part.lastIndexOf('=');
    const name = part.slice(0, at).trim();
    const count = Number(part.slice(at + 1).trim());
    if (name === '' || !Number.isInteger(count) || count < 0) {
      return { error: `\`class=count\` pairs with integer counts >= 0, got \`${part}\`` };
    }
    counts[name] = count;
  }
  return { counts };
}
