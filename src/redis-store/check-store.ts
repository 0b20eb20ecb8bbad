import type { RedisClientType, RedisDefaultModules } from 'redis';
import {
  checkStoreLimits,
  type CheckRecord,
  type CheckStore,
  type StoredFault,
} from '../sandbox/store/check-store.ts';

// The client openRedisStore creates: default modules, no functions or scripts, RESP3.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
type RedisClient = RedisClientType<RedisDefaultModules, {}, {}, 3, {}>;

/**
 * Starts a check unless the client's current one is still open: a script runs alone in Redis, so
 * of two instances starting a check for one client at once, exactly one succeeds.
 *
 * KEYS: the client's current check, the check. ARGV: now (ms), the check's JSON, its lifetime (ms).
 * Returns the open check's JSON, or '' when this one was saved.
 */
const startCheckScript = `
local current = redis.call('GET', KEYS[1])
if current then
  local open = cjson.decode(current)
  if tonumber(open.startedAtMs) <= tonumber(ARGV[1]) and tonumber(open.endsAtMs) > tonumber(ARGV[1]) then
    return current
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
return ''
`;

/**
 * Stores a check's graded result once, and drops its requests.
 *
 * KEYS: the check, its requests. ARGV: the result, when it was graded (ms).
 * Returns 1 for the first caller, 0 when the check is unknown or graded already.
 */
const finishCheckScript = `
local stored = redis.call('GET', KEYS[1])
if not stored then return 0 end
local check = cjson.decode(stored)
if check.result then return 0 end
check.result = ARGV[1]
check.gradedAtMs = tonumber(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(check), 'KEEPTTL')
redis.call('DEL', KEYS[2])
return 1
`;

/**
 * The checks in Redis: each check a JSON string, its faults a hash by kind (HSETNX: once each),
 * its requests a list in arrival order. Every key expires by itself at the end of the check's
 * retention, so no sweep is needed. Lifetimes are relative (PX), never an absolute time from the
 * sandbox's clock, which may differ from Redis's.
 */
export function redisCheckStore(
  client: RedisClient,
  run: <T>(command: () => Promise<T>) => Promise<T>,
  prefix: string,
): CheckStore {
  const keys = {
    check: (checkId: string) => `${prefix}check:${checkId}`,
    current: (clientId: string) => `${prefix}client-check:${clientId}`,
    faults: (checkId: string) => `${prefix}check-faults:${checkId}`,
    entries: (checkId: string) => `${prefix}check-entries:${checkId}`,
  };
  /** Milliseconds a check's keys live from `nowMs`: its window, then its retention. */
  const lifetimeMs = (check: CheckRecord, nowMs: number) =>
    Math.max(1, check.endsAtMs - nowMs) + checkStoreLimits.retentionMs;
  const parse = (json: string | null) => (json === null ? undefined : (JSON.parse(json) as CheckRecord));
  // A check's keys outlive its window by the retention; requests only matter during it.
  const entriesLifetimeMs = checkStoreLimits.retentionMs;

  return {
    async start(check, nowMs) {
      const open = await run(() =>
        client.eval(startCheckScript, {
          keys: [keys.current(check.clientId), keys.check(check.id)],
          arguments: [String(nowMs), JSON.stringify(check), String(lifetimeMs(check, nowMs))],
        }),
      );
      return typeof open === 'string' && open !== '' ? parse(open) : undefined;
    },
    async find(checkId) {
      return parse(await run(() => client.get(keys.check(checkId))));
    },
    async running(clientId, nowMs) {
      const current = parse(await run(() => client.get(keys.current(clientId))));
      return current && current.startedAtMs <= nowMs && nowMs < current.endsAtMs ? current : undefined;
    },
    async claimFault(checkId, fault) {
      const [claimed] = await run(() =>
        client
          .multi()
          .hSetNX(keys.faults(checkId), fault.kind, JSON.stringify(fault))
          .pExpire(keys.faults(checkId), entriesLifetimeMs)
          .exec(),
      );
      return Number(claimed) === 1;
    },
    async faults(checkId) {
      const all = await run(() => client.hGetAll(keys.faults(checkId)));
      return Object.values(all as Record<string, string>)
        .map((json) => JSON.parse(json) as StoredFault)
        .sort((a, b) => a.atMs - b.atMs);
    },
    async appendEntries(records) {
      if (records.length === 0) return;
      const byCheck = new Map<string, string[]>();
      for (const { checkId, json } of records) {
        let list = byCheck.get(checkId);
        if (!list) byCheck.set(checkId, (list = []));
        list.push(json);
      }
      const transaction = client.multi();
      for (const [checkId, jsons] of byCheck) {
        transaction.rPush(keys.entries(checkId), jsons);
        // Keeps the first entriesPerCheck: what comes after the bound is dropped.
        transaction.lTrim(keys.entries(checkId), 0, checkStoreLimits.entriesPerCheck - 1);
        transaction.pExpire(keys.entries(checkId), entriesLifetimeMs);
      }
      await run(() => transaction.exec());
    },
    async entries(checkId) {
      return run(() => client.lRange(keys.entries(checkId), 0, -1));
    },
    async finish(checkId, result, gradedAtMs) {
      const finished = await run(() =>
        client.eval(finishCheckScript, {
          keys: [keys.check(checkId), keys.entries(checkId)],
          arguments: [result, String(gradedAtMs)],
        }),
      );
      return Number(finished) === 1;
    },
    async sweep() {
      // Every key expires by itself.
      return 0;
    },
  };
}
