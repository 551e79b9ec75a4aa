import { describeValue, errorMessage, formatPath } from '@growset/core';
import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import type { AnyNode } from 'domhandler';
import type { ExtractContext, ExtractedItem, ResolvedFieldSpec, ResolvedItemSpec } from './config.ts';

/** An item read from a page, or the reason it could not be. */
export type ItemOutcome =
  | { ok: true; index: number; item: ExtractedItem }
  | { ok: false; index: number; reason: string; detail: string; item?: ExtractedItem };

/** The document's base URL: `<base href>` when present, else the page URL. */
export function baseUrlOf($: CheerioAPI, pageUrl: string): string {
  const href = $('base[href]').first().attr('href');
  if (!href) return pageUrl;
  try {
    return new URL(href, pageUrl).href;
  } catch {
    return pageUrl;
  }
}

/** The `<link rel="canonical">` target, resolved, if any. */
export function canonicalOf($: CheerioAPI, base: string): string | undefined {
  const href = $('link[rel~="canonical"][href]').first().attr('href');
  if (!href) return undefined;
  try {
    return new URL(href, base).href;
  } catch {
    return undefined;
  }
}

/** Raw link targets of the elements matching `selectors` (`href`, else `src`), resolved against `base`. */
export function linksOf($: CheerioAPI, selectors: readonly string[], base: string): string[] {
  const out: string[] = [];
  for (const selector of selectors) {
    $(selector).each((_, element) => {
      const node = $(element);
      const href = node.attr('href') ?? node.attr('src');
      if (!href) return;
      try {
        out.push(new URL(href.trim(), base).href);
      } catch {
        // unparsable link: nothing to follow
      }
    });
  }
  return out;
}

/**
 * Reads the items of a page: declarative fields per container (or the whole page), then the
 * extraction function if any. Missing required fields and bad values become failed outcomes with
 * a reason and a detail naming the field, selector and URL.
 */
export async function extractItems(
  spec: ResolvedItemSpec,
  context: ExtractContext,
  base: string,
): Promise<ItemOutcome[]> {
  const { $ } = context;
  const containers: Cheerio<AnyNode>[] = spec.container
    ? $(spec.container)
        .toArray()
        .map((el) => $(el))
    : [$.root()];
  const declared: ItemOutcome[] = containers.map((scope, index) =>
    readFields(spec, $, scope, index, base, context.url),
  );
  if (!spec.extract) return declared;
  let result: unknown;
  try {
    result = await spec.extract(
      context,
      declared.map((o) => (o.ok ? o.item : (o.item ?? {}))),
    );
  } catch (error) {
    return [
      {
        ok: false,
        index: 0,
        reason: 'extract failed',
        detail: `extract() threw on ${context.url}: ${errorMessage(error)}`,
      },
    ];
  }
  if (result === undefined || result === null) return [];
  const list = Array.isArray(result) ? result : [result];
  return list.map((value, index): ItemOutcome => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        index,
        reason: 'invalid item',
        detail: `extract() returned ${describeValue(value)} on ${context.url}, expected an object`,
      };
    }
    return { ok: true, index, item: value as ExtractedItem };
  });
}

function readFields(
  spec: ResolvedItemSpec,
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  index: number,
  base: string,
  pageUrl: string,
): ItemOutcome {
  const item: ExtractedItem = {};
  const where = spec.container ? ` in ${spec.container} #${index + 1}` : '';
  for (const [name, field] of Object.entries(spec.fields)) {
    const elements = spec.container ? scope.find(field.selector) : $(field.selector);
    const values: unknown[] = [];
    let problem: string | undefined;
    for (const element of elements.toArray()) {
      const read = readValue($(element), field, base);
      if (read.ok) values.push(read.value);
      else problem ??= read.problem;
      if (!field.all && values.length > 0) break;
    }
    if (values.length === 0) {
      if (field.optional) continue;
      const detail =
        elements.length === 0
          ? `selector \`${field.selector}\` matched nothing${where} on ${pageUrl}`
          : `${problem ?? 'empty value'} for selector \`${field.selector}\`${where} on ${pageUrl}`;
      return { ok: false, index, reason: `missing field: ${name}`, detail, item };
    }
    item[name] = field.all ? values : values[0];
  }
  return { ok: true, index, item };
}

function readValue(
  node: Cheerio<AnyNode>,
  field: ResolvedFieldSpec,
  base: string,
): { ok: true; value: unknown } | { ok: false; problem: string } {
  const raw = field.attr ? node.attr(field.attr) : node.text();
  if (raw === undefined) return { ok: false, problem: `no attribute \`${field.attr}\`` };
  let text = raw.replace(/\s+/g, ' ').trim();
  if (field.regex) {
    const match = new RegExp(field.regex).exec(text);
    if (!match) return { ok: false, problem: `${describeValue(text)} does not match /${field.regex}/` };
    text = match[1] ?? match[0];
  }
  if (text === '') return { ok: false, problem: 'empty value' };
  if (field.asset === 'image' || field.transform === 'url') {
    try {
      return { ok: true, value: new URL(text, base).href };
    } catch {
      return { ok: false, problem: `${describeValue(text)} is not a URL` };
    }
  }
  switch (field.transform) {
    case undefined:
    case 'trim':
      return { ok: true, value: text };
    case 'lowercase':
      return { ok: true, value: text.toLowerCase() };
    case 'uppercase':
      return { ok: true, value: text.toUpperCase() };
    case 'number':
    case 'integer': {
      const value = Number(text.replace(/,/g, ''));
      if (!Number.isFinite(value) || (field.transform === 'integer' && !Number.isInteger(value))) {
        return {
          ok: false,
          problem: `${describeValue(text)} is not ${field.transform === 'integer' ? 'an integer' : 'a number'}`,
        };
      }
      return { ok: true, value };
    }
    default:
      try {
        return { ok: true, value: field.transform(text) };
      } catch (error) {
        return { ok: false, problem: `transform failed on ${describeValue(text)}: ${errorMessage(error)}` };
      }
  }
}

/** A validated item: its label, image URL, key and the remaining fields. */
export interface ValidItem {
  label: string;
  imageUrl: string;
  key: string;
  fields: ExtractedItem;
}

/**
 * Checks an extracted item against the spec: a non-empty label (in `labels` when given), an
 * absolute http(s) image URL, the zod `schema` when given, and a key. Returns the problem in
 * words otherwise.
 */
export function validateItem(
  spec: ResolvedItemSpec,
  imageField: string,
  item: ExtractedItem,
  defaultKey: string,
  pageUrl: string,
): { ok: true; value: ValidItem } | { ok: false; reason: string; detail: string } {
  let checked = item;
  if (spec.schema) {
    const result = spec.schema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const field = formatPath(issue.path as PropertyKey[]) || '(item)';
      return {
        ok: false,
        reason: 'invalid item',
        detail: `field \`${field}\`: ${issue.message} (got ${describeValue(valueAt(item, issue.path))}) on ${pageUrl}`,
      };
    }
    checked = (typeof result.data === 'object' && result.data !== null ? result.data : item) as ExtractedItem;
  }
  const rawLabel = checked[spec.labelField];
  const label = typeof rawLabel === 'number' ? String(rawLabel) : rawLabel;
  if (typeof label !== 'string' || label.trim() === '') {
    return {
      ok: false,
      reason: `missing field: ${spec.labelField}`,
      detail: `no label (field \`${spec.labelField}\` is ${describeValue(rawLabel)}) on ${pageUrl}`,
    };
  }
  if (spec.labels && !spec.labels.includes(label)) {
    return {
      ok: false,
      reason: 'unknown label',
      detail: `label ${describeValue(label)} is not one of ${spec.labels.map((l) => JSON.stringify(l)).join(', ')} on ${pageUrl}`,
    };
  }
  const image = checked[imageField];
  let imageUrl: string | undefined;
  if (typeof image === 'string') {
    try {
      const parsed = new URL(image, pageUrl);
      if (
        parsed.protocol === 'http:' ||
        parsed.protocol === 'https:' ||
        parsed.protocol === 'data:' ||
        parsed.protocol === 'file:'
      ) {
        imageUrl = parsed.href;
      }
    } catch {
      imageUrl = undefined;
    }
  }
  if (imageUrl === undefined) {
    return {
      ok: false,
      reason: `missing field: ${imageField}`,
      detail: `no image URL (field \`${imageField}\` is ${describeValue(image)}) on ${pageUrl}`,
    };
  }
  let key = defaultKey;
  if (typeof spec.key === 'function') {
    try {
      key = String(spec.key(checked, pageUrl));
    } catch (error) {
      return {
        ok: false,
        reason: 'invalid item',
        detail: `key() threw on ${pageUrl}: ${errorMessage(error)}`,
      };
    }
  } else if (spec.key !== undefined) {
    const value = checked[spec.key];
    if (value === undefined || value === null || String(value).trim() === '') {
      return {
        ok: false,
        reason: `missing field: ${spec.key}`,
        detail: `no key (field \`${spec.key}\` is ${describeValue(value)}) on ${pageUrl}`,
      };
    }
    key = String(value).trim();
  }
  return { ok: true, value: { label: label.trim(), imageUrl, key, fields: checked } };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as { [key: PropertyKey]: unknown })[part];
  }
  return current;
}
