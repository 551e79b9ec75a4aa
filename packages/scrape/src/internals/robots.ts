interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

interface Group {
  agents: string[];
  rules: Rule[];
  crawlDelaySeconds?: number;
}

/** The rules of one robots.txt that apply to one user agent. */
export interface RobotsRules {
  /** Whether a URL (path and query) may be fetched. */
  isAllowed(url: string): boolean;
  /** The Crawl-delay of the matching group, in milliseconds, if it sets one. */
  readonly crawlDelayMs: number | undefined;
}

/** Rules that allow everything (no robots.txt, or one that is unavailable with a 4xx). */
export const ALLOW_ALL: RobotsRules = { isAllowed: () => true, crawlDelayMs: undefined };
/** Rules that forbid everything (robots.txt unreachable with 5xx after retries, RFC 9309 2.3.1.4). */
export const DISALLOW_ALL: RobotsRules = { isAllowed: () => false, crawlDelayMs: undefined };

/** The product token robots.txt groups are matched against: `growset-scrape/0.1 (...)` -> `growset-scrape`. */
export function robotsAgentToken(userAgent: string): string {
  return (userAgent.trim().split(/[\s/]/)[0] ?? '').toLowerCase();
}

/**
 * Parses robots.txt (RFC 9309, plus the common Crawl-delay extension) for one user agent: the
 * group naming the agent's product token wins, else the `*` group; among its rules the longest
 * matching pattern decides, Allow winning a tie; `*` matches any run of characters and a
 * trailing `$` anchors the end. `/robots.txt` itself is always allowed.
 */
export function parseRobotsTxt(text: string, userAgent: string): RobotsRules {
  const groups: Group[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (key === 'allow' || key === 'disallow') {
      if (value === '') continue; // "Disallow:" with nothing allows everything
      current.rules.push({ allow: key === 'allow', pattern: value, regex: patternToRegex(value) });
    } else if (key === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = seconds;
    }
  }
  const token = robotsAgentToken(userAgent);
  const named = groups.filter((g) => g.agents.some((a) => a !== '*' && token !== '' && token.startsWith(a)));
  const chosen = named.length > 0 ? named : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delay = chosen.find((g) => g.crawlDelaySeconds !== undefined)?.crawlDelaySeconds;
  return {
    crawlDelayMs: delay === undefined ? undefined : Math.round(delay * 1000),
    isAllowed(url: string): boolean {
      let target: string;
      try {
        const parsed = new URL(url);
        target = `${parsed.pathname}${parsed.search}`;
      } catch {
        target = url;
      }
      if (target === '/robots.txt') return true;
      let best: Rule | undefined;
      for (const rule of rules) {
        if (!rule.regex.test(target)) continue;
        if (
          !best ||
          rule.pattern.length > best.pattern.length ||
          (rule.pattern.length === best.pattern.length && rule.allow && !best.allow)
        ) {
          best = rule;
        }
      }
      return best === undefined || best.allow;
    },
  };
}

function patternToRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const source = body
    .split('*')
    .map((part) => escapeRegex(normalizePercent(part)))
    .join('.*');
  return new RegExp(`^${source}${anchored ? '$' : ''}`);
}

function normalizePercent(text: string): string {
  // Compare in the same form URL paths take: non-ASCII percent-encoded, escapes upper-cased.
  return encodeURI(text).replace(/%25([0-9a-f]{2})/gi, (_, hex: string) => `%${hex.toUpperCase()}`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
