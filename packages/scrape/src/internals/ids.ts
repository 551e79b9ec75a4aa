import { shortHash } from '@growset/core';
import { pathSlug } from './url.ts';

const PLAIN_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The sample id for an item key: the key itself when it is a short plain token (`0042`,
 * `sku-17`), else a slug of it with a hash of the whole key (`item-0042-1a2b3c4d`), so two keys
 * never share an id and the same key always gets the same one.
 */
export function itemIdForKey(key: string): string {
  if (PLAIN_KEY.test(key) && !key.includes('..')) return key;
  return `${pathSlug(key)}-${shortHash(key)}`;
}

/** Id of a page that failed (for quarantine records): `page-<slug>-<hash>`. */
export function pageIdForUrl(url: string): string {
  return `page-${pathSlug(url)}-${shortHash(url)}`;
}
