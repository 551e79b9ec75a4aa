/**
 * The shared crawl's atomic steps, as Lua scripts run by Redis. Times come from Redis's own clock
 * (`TIME`, in ms), so processes on several machines need not agree on the time.
 */

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

interface Script {
  lua: string;
  keys: number;
}

export const SCRIPTS: { [name: string]: Script } = {
  /** KEYS seen, queued, depth, frontier; ARGV url, depth, maxPages -> queued | seen | max pages. */
  admit: {
    keys: 4,
    lua: `${NOW}
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 'seen' end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[3]) then return 'max pages' end
redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], now, ARGV[1])
return 'queued'`,
  },
  /**
   * KEYS frontier, leases, depth; ARGV leaseMs -> {page, url, depth} | {wait} | {finished}.
   * Pages whose lease expired (their process died) go back to the frontier first.
   */
  take: {
    keys: 3,
    lua: `${NOW}
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for _, url in ipairs(expired) do
  redis.call('ZREM', KEYS[2], url)
  redis.call('ZADD', KEYS[1], now, url)
end
local ready = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
if #ready == 0 then
  if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then return {'finished'} end
  return {'wait'}
end
local url = ready[1]
redis.call('ZREM', KEYS[1], url)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[1]), url)
return {'page', url, redis.call('HGET', KEYS[3], url) or '0'}`,
  },
  /** KEYS leases; ARGV leaseMs, url... : extends the leases still held. */
  renew: {
    keys: 1,
    lua: `${NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
return 0`,
  },
  /** KEYS leases, frontier; ARGV url: a page handed back by a process that stopped. */
  giveBack: {
    keys: 2,
    lua: `${NOW}
if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
return 0`,
  },
  /**
   * KEYS claims, committed; ARGV key, page -> {mine} | {collected} | {duplicate, holder}.
   * The page that took a key first may take it again (it is being loaded again).
   */
  claim: {
    keys: 2,
    lua: `local holder = redis.call('HGET', KEYS[1], ARGV[1])
if not holder then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return {'mine'}
end
if holder == ARGV[2] then
  if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return {'collected'} end
  return {'mine'}
end
return {'duplicate', holder}`,
  },
  /**
   * KEYS committed, frontier, leases; ARGV key, value, page: a commitment its folder lost (the
   * process was killed before writing): released, its page queued again unless someone holds it.
   */
  release: {
    keys: 3,
    lua: `${NOW}
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
if not redis.call('ZSCORE', KEYS[3], ARGV[3]) then redis.call('ZADD', KEYS[2], now, ARGV[3]) end
return 1`,
  },
  /**
   * KEYS slots, next, pause; ARGV token, delayMs, perHost, slotLeaseMs -> 0 (slot taken) or ms to
   * wait. A host gets a new request only when fewer than perHost are running over all processes
   * (slots expire when their process dies), delayMs after the previous start, and not paused.
   */
  hostSlot: {
    keys: 3,
    lua: `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local pause = tonumber(redis.call('GET', KEYS[3]) or '0')
if pause > now then return pause - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 10 end
local delay = tonumber(ARGV[2])
local nextStart = tonumber(redis.call('GET', KEYS[2]) or '0')
if nextStart > now then return nextStart - now end
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
return 0`,
  },
  /** KEYS pause; ARGV ms: pauses a host (Retry-After), extending a shorter pause only. */
  pause: {
    keys: 1,
    lua: `${NOW}
local untilMs = now + tonumber(ARGV[1])
if tonumber(redis.call('GET', KEYS[1]) or '0') < untilMs then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]) + 1000)
end
return 0`,
  },
};
