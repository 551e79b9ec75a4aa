import { realpath } from 'node:fs/promises';
import { isAbsolute, normalize, resolve, sep } from 'node:path';

/** Why a requested path is refused: 403 for a path that leaves the folder, 404 for one that does not exist. */
export type PathVerdict = { ok: true; path: string } | { ok: false; status: 403 | 404; reason: string };

/**
 * Resolves a URL path (still percent-encoded) inside `root`. Refuses absolute paths, `..`
 * segments, NUL bytes, backslashes, and files whose real path (symlinks followed) leaves the
 * root's real path.
 */
export async function resolveInside(root: string, urlPath: string): Promise<PathVerdict> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return { ok: false, status: 403, reason: 'malformed path' };
  }
  if (rel.includes('\0') || rel.includes('\\'))
    return { ok: false, status: 403, reason: 'forbidden character' };
  if (isAbsolute(rel) || /^[a-z]:/i.test(rel)) return { ok: false, status: 403, reason: 'absolute path' };
  if (rel.split('/').some((part) => part === '..'))
    return { ok: false, status: 403, reason: 'path leaves the dataset' };
  const realRoot = await realpath(root);
  const candidate = resolve(realRoot, normalize(rel));
  if (candidate !== realRoot && !candidate.startsWith(realRoot + sep))
    return { ok: false, status: 403, reason: 'path leaves the dataset' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { ok: false, status: 404, reason: 'no such file' };
  }
  if (!real.startsWith(realRoot + sep)) return { ok: false, status: 403, reason: 'link leaves the dataset' };
  return { ok: true, path: real };
}
