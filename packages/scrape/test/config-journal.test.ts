import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionsError } from '@growset/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCrawlConfig } from '../src/index.ts';
import { Journal, readJournal } from '../src/internals/journal.ts';
import { removeTempDirs, tempDir } from './helpers.ts';

afterAll(removeTempDirs);

const issueConfig = JSON.parse(`
  {"start":["http://127.0.0.1:8080/"],"engine":"http","allowHosts":["127.0.0.1"],"allowPrivateNetwork":true,
   "follow":["a.next","a.item"],"item":{"urlPattern":"/item/","fields":{"label":{"selector":".label"},
   "image":{"selector":"img.photo","attr":"src","asset":"image"}}},"concurrency":8,"maxPages":5000}`);

describe('crawl config', () => {
  it('accepts the config shape from the issue and fills in documented defaults', () => {
    const config = parseCrawlConfig(issueConfig);
    expect(config).toMatchObject({
      engine: 'http',
      concurrency: 8,
      maxPages: 5000,
      perHostConcurrency: 8,
      robotsTxt: true,
      retries: 3,
      maxRedirects: 5,
      userAgent: 'growset-scrape/0.1',
      item: { labelField: 'label', fields: { label: { optional: false, all: false } } },
      browser: { pages: 4, waitUntil: 'load', blockImages: true },
    });
  });

  it('names the field, what was expected and what was given', () => {
    const bad = (patch: object) => () => parseCrawlConfig({ ...issueConfig, ...patch });
    expect(bad({ concurrency: 0 })).toThrow(OptionsError);
    expect(bad({ concurrency: 0 })).toThrow(
      'Invalid option `concurrency` in CrawlConfig: expected a number >= 1, got `0` (number)',
    );
    expect(bad({ folow: ['a'] })).toThrow(/`folow`.*did you mean `follow`/);
    expect(bad({ engine: 'chrome' })).toThrow(/`engine`.*"http", "browser", "auto".*"chrome"/);
    expect(bad({ include: ['(unclosed'] })).toThrow(/`include\[0\]`.*regular expression/);
    expect(
      bad({
        item: {
          fields: {
            a: { selector: 'img', attr: 'src', asset: 'image' },
            b: { selector: 'img', attr: 'src', asset: 'image' },
          },
        },
      }),
    ).toThrow(/`item.fields`.*at most one field/);
  });
});

describe('journal', () => {
  it('survives a torn last line and keeps appending on a fresh line', async () => {
    const dir = await tempDir();
    const path = join(dir, 'journal.jsonl');
    const journal = new Journal(path);
    journal.append({ t: 'start', config: 'abc', at: 'now', run: 1 });
    journal.append({ t: 'queue', u: 'http://h/', d: 0 });
    journal.append({ t: 'item', k: 'k1', id: 'i1', label: '7', file: '7/i1.png', u: 'http://h/i/1' });
    journal.close();
    appendFileSync(path, '{"t":"done","u":"http://h/"'); // killed mid-write
    const resumed = new Journal(path);
    resumed.append({ t: 'claim', k: 'k2' });
    resumed.close();
    const state = readJournal(path);
    expect(state.torn).toBe(1);
    expect(state.config).toBe('abc');
    expect([...state.queued]).toEqual([['http://h/', 0]]);
    expect(state.done.size).toBe(0);
    expect([...state.items.keys()]).toEqual(['k1']);
    expect([...state.claimed].sort()).toEqual(['k1', 'k2']);
    expect(readFileSync(path, 'utf8').split('\n').at(-2)).toBe('{"t":"claim","k":"k2"}');
  });

  it('reads a missing journal as an empty crawl', async () => {
    const dir = await tempDir();
    const state = readJournal(join(dir, 'none.jsonl'));
    expect(state.runs).toBe(0);
    expect(state.finished).toBeUndefined();
    writeFileSync(join(dir, 'empty.jsonl'), '');
    expect(readJournal(join(dir, 'empty.jsonl')).queued.size).toBe(0);
  });
});
