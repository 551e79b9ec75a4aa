import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCleanImagesJob } from '@growset/clean';
import { defineCommand, intOption, stringOption, UsageError } from '../command.ts';

export const cleanImagesCommand = defineCommand({
  name: 'clean-images',
  summary: 'check an ImageFolder: quarantine broken images, normalize colour, drop duplicates',
  usage:
    '<imagefolder> --out <dir> [--min-size N] [--max-pixels N] [--animated first-frame|quarantine] [--alpha keep|flatten] [--hash dhash|phash|none] [--threshold N] [--json]',
  details: `
<imagefolder> holds one folder per class. Every entry that is not a folder is counted: symbolic
links out of the folder (unless --follow-links), broken links, link loops, FIFOs and devices go to
quarantine with the reason. Every image is decoded in full: empty, truncated,
undecodable and non-image files, images under --min-size or over --max-pixels (checked from the
header, before decoding) go to quarantine. CMYK and 16-bit images become 8-bit sRGB, animated
images keep their first frame. Exact copies and near copies (perceptual hash within --threshold
bits) are dropped; a copy filed under another class is quarantined. Writes the clean ImageFolder
to <out>/images (with manifest.jsonl), <out>/quarantine.jsonl plus the rejected files under
<out>/files, and <out>/cleaning-summary.json.`,
  positionals: { min: 1, max: 1 },
  options: {
    out: { type: 'string', value: 'DIR', description: 'output folder (required)' },
    'min-size': { type: 'string', value: 'N', description: 'smallest width and height kept', default: '8' },
    'max-pixels': {
      type: 'string',
      value: 'N',
      description: 'largest width x height decoded',
      default: '40000000',
    },
    animated: {
      type: 'string',
      value: 'POLICY',
      description: 'first-frame or quarantine',
      default: 'first-frame',
    },
    alpha: { type: 'string', value: 'POLICY', description: 'keep or flatten (onto white)', default: 'keep' },
    hash: {
      type: 'string',
      value: 'KIND',
      description: 'perceptual hash for near copies: dhash, phash or none',
      default: 'dhash',
    },
    threshold: {
      type: 'string',
      value: 'N',
      description: 'largest Hamming distance of near copies (0-32)',
      default: '2',
    },
    'follow-links': {
      type: 'boolean',
      description: 'read files that symbolic links out of the folder point to (default: quarantine them)',
    },
  },
  async run(args, io) {
    const dir = resolve(io.cwd, args.positionals[0]!);
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new UsageError(`Image folder not found: ${dir}`);
    const outOption = stringOption(args, 'out');
    if (outOption === undefined)
      throw new UsageError('Missing `--out <dir>`: where to write the clean images');
    const out = resolve(io.cwd, outOption);
    const minSize = intOption(args, 'min-size', { min: 1, max: 65_535 }) ?? 8;
    const maxPixels = intOption(args, 'max-pixels', { min: 1 }) ?? 40_000_000;
    const threshold = intOption(args, 'threshold', { min: 0, max: 32 }) ?? 2;
    const animated = oneOf(args, 'animated', ['first-frame', 'quarantine'] as const) ?? 'first-frame';
    const alpha = oneOf(args, 'alpha', ['keep', 'flatten'] as const) ?? 'keep';
    const hash = oneOf(args, 'hash', ['dhash', 'phash', 'none'] as const) ?? 'dhash';
    const { summary, text } = await runCleanImagesJob(
      {
        input: dir,
        out,
        minSize,
        maxPixels,
        animated,
        alpha,
        hash,
        threshold,
        followLinks: args.values['follow-links'] === true,
      },
      { signal: io.signal, logger: io.logger, onProgress: io.onProgress },
    );
    return { summary, text };
  },
});

function oneOf<T extends string>(
  args: Parameters<typeof stringOption>[0],
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`Expected \`--${name}\` to be one of ${allowed.join(', ')}, got \`${value}\``);
  }
  return value as T;
}
