import { isAbsolute, relative, resolve, sep } from 'node:path';
import { GrowsetError } from '../errors.ts';
import { shortHash } from '../rng.ts';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// Path separators, characters Windows forbids, and control characters (NUL included).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what we strip
const UNSAFE = /[/\\:*?"<>|\u0000-\u001f\u007f]/g;

export interface SafeNameOptions {
  /** Maximum length in UTF-8 bytes, including any hash suffix. @default 120 */
  maxBytes?: number;
}

/**
 * Turns any label, id or URL into one safe file or folder name: no separators, no `.`/`..`, no
 * control characters, no Windows device names, bounded length. A name that had to change gets a
 * short hash of the original appended, so two different inputs never map to the same name.
 */
export function safeFileName(input: string, options: SafeNameOptions = {}): string {
  const maxBytes = Math.max(16, options.maxBytes ?? 120);
  const normalized = input.normalize('NFC');
  let name = normalized.replace(UNSAFE, '_');
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (WINDOWS_RESERVED.test(name)) name = `_${name}`;
  if (name === '') name = '_';
  const changed = name !== input;
  const suffix = changed ? `-${shortHash(input)}` : '';
  if (Buffer.byteLength(name) + suffix.length > maxBytes) {
    name = truncateUtf8(name, maxBytes - 9);
    return `${name}-${shortHash(input)}`;
  }
  return `${name}${suffix}`;
}

function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = Buffer.byteLength(char);
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out.replace(/[.\s]+$/, '') || '_';
}

/** Error for a path that would escape its output folder. */
export class UnsafePathError extends GrowsetError {
  constructor(root: string, target: string) {
    super(`Refusing to write outside the output folder: ${JSON.stringify(target)} is not inside ${root}`, {
      code: 'ERR_UNSAFE_PATH',
    });
  }
}

/**
 * Joins already-sanitized segments under `root` and verifies that the result stays inside it
 * (defence in depth; segments should come from {@link safeFileName}).
 */
export function safeJoin(root: string, ...segments: string[]): string {
  const base = resolve(root);
  const target = resolve(base, ...segments);
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new UnsafePathError(base, segments.join('/'));
  }
  return target;
}
