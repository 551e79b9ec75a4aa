import { Rng } from '@growset/core';
import { describe, expect, it } from 'vitest';
import { isPrivateAddress, normalizeUrl, parseRobotsTxt, robotsAgentToken, Scope } from '../src/index.ts';
import { itemIdForKey } from '../src/internals/ids.ts';
import { backoffDelay, parseRetryAfter } from '../src/internals/retry.ts';

describe('normalizeUrl', () => {
  it('drops fragments, utm_* and click ids, sorts the rest and lower-cases the host', () => {
    expect(normalizeUrl('HTTP://Example.COM:80/a/../item/1?utm_source=x&b=2&fbclid=1&a=1#top')).toBe(
      'http://example.com/item/1?a=1&b=2',
    );
    expect(normalizeUrl('https://example.com/p?gclid=1&utm_medium=m')).toBe('https://example.com/p');
    expect(normalizeUrl('x.html?ref=7', 'https://example.com/dir/page', { trackingParams: ['REF'] })).toBe(
      'https://example.com/dir/x.html',
    );
  });

  it('returns undefined for what is not a URL', () => {
    expect(normalizeUrl('http://')).toBeUndefined();
    expect(normalizeUrl('no scheme')).toBeUndefined();
  });
});

describe('itemIdForKey', () => {
  it('keeps plain keys and turns URLs into a stable slug with a hash', () => {
    expect(itemIdForKey('sku-17')).toBe('sku-17');
    const id = itemIdForKey('http://127.0.0.1:8080/item/0042');
    expect(id).toMatch(/^item-0042-[0-9a-f]{8}$/);
    expect(itemIdForKey('http://127.0.0.1:8080/item/0042')).toBe(id);
    expect(itemIdForKey('http://127.0.0.1:8081/item/0042')).not.toBe(id);
    expect(itemIdForKey('../../etc/passwd')).toMatch(/^etc-passwd-[0-9a-f]{8}$/);
  });
});

describe('parseRobotsTxt', () => {
  const text = `
# comment
User-agent: *
Disallow: /private/
Allow: /private/about
Disallow: /*.pdf$
Crawl-delay: 2.5

User-agent: growset-scrape
User-agent: other
Disallow: /only-us/
`;

  it('applies the longest matching rule, Allow winning a tie, with * and $', () => {
    const rules = parseRobotsTxt(text, 'somebot/1.0');
    expect(rules.isAllowed('http://h/private/x')).toBe(false);
    expect(rules.isAllowed('http://h/private/about')).toBe(true);
    expect(rules.isAllowed('http://h/docs/a.pdf')).toBe(false);
    expect(rules.isAllowed('http://h/docs/a.pdf?x=1')).toBe(true);
    expect(rules.isAllowed('http://h/public')).toBe(true);
    expect(rules.isAllowed('http://h/robots.txt')).toBe(true);
    expect(rules.crawlDelayMs).toBe(2500);
  });

  it('uses the group naming the agent product token instead of *', () => {
    expect(robotsAgentToken('growset-scrape/0.1 (+https://x)')).toBe('growset-scrape');
    const rules = parseRobotsTxt(text, 'growset-scrape/0.1');
    expect(rules.isAllowed('http://h/private/x')).toBe(true);
    expect(rules.isAllowed('http://h/only-us/1')).toBe(false);
    expect(rules.crawlDelayMs).toBeUndefined();
  });

  it('allows everything for an empty file or an empty Disallow', () => {
    expect(parseRobotsTxt('', 'a').isAllowed('http://h/x')).toBe(true);
    expect(parseRobotsTxt('User-agent: *\nDisallow:\n', 'a').isAllowed('http://h/x')).toBe(true);
  });
});

describe('scope', () => {
  it('recognizes loopback, private, link-local and reserved addresses, IPv4-mapped included', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.0.1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of [
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '[::ffff:10.0.0.1]',
      'ff02::1',
    ]) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isPrivateAddress(ip), ip).toBe(false);
    }
    expect(isPrivateAddress('not an ip')).toBe(true);
  });

  it('allows start hosts, listed hosts and wildcard subdomains, http(s) only', () => {
    const scope = new Scope({
      startUrls: ['https://example.com/'],
      allowHosts: ['*.cdn.example.net', 'img.example.org:8443'],
      allowPrivateNetwork: false,
    });
    expect(scope.check('https://example.com/a')).toBeUndefined();
    expect(scope.check('https://a.cdn.example.net/x.png')).toBeUndefined();
    expect(scope.check('https://img.example.org:8443/x.png')).toBeUndefined();
    expect(scope.check('https://img.example.org/x.png')).toBe('off-host');
    expect(scope.check('https://evil.com/')).toBe('off-host');
    expect(scope.check('file:///etc/passwd')).toBe('unsupported scheme');
    expect(scope.check('data:image/png;base64,AAAA')).toBe('unsupported scheme');
    expect(scope.check('javascript:alert(1)')).toBe('unsupported scheme');
    const local = new Scope({
      startUrls: ['http://localhost/', 'http://10.0.0.5/'],
      allowHosts: [],
      allowPrivateNetwork: false,
    });
    expect(local.check('http://localhost/')).toBe('private address');
    expect(local.check('http://10.0.0.5/')).toBe('private address');
    const allowed = new Scope({ startUrls: ['http://10.0.0.5/'], allowHosts: [], allowPrivateNetwork: true });
    expect(allowed.check('http://10.0.0.5/')).toBeUndefined();
  });
});

describe('retry timing', () => {
  it('parses Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });

  it('backs off exponentially with seeded jitter in [0.5, 1.5), capped', () => {
    const options = { baseMs: 100, maxMs: 1000 };
    const delays = [1, 2, 3, 4, 5].map((attempt) =>
      backoffDelay(attempt, Rng.create(1).fork(attempt), options),
    );
    delays.forEach((d, i) => {
      const nominal = Math.min(1000, 100 * 2 ** i);
      expect(d).toBeGreaterThanOrEqual(nominal * 0.5);
      expect(d).toBeLessThanOrEqual(Math.min(1000, nominal * 1.5));
    });
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, Rng.create(1).fork(a), options))).toEqual(delays);
  });
});
