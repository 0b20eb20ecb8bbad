/**
 * Lua scripts the Redis store runs. Redis runs a script alone, start to end: no other client's
 * command comes between its reads and its writes, which makes each one a lock-free critical section.
 */

/**
 * Activates a signing key if the active one is still ARGV[1] ('' when there is none): the lock that
 * makes a rotation (or the first key, when instances start together on an empty Redis) happen once
 * for all. The key active until now is retired with ARGV[4] = "retiredAt:publishUntil". The change
 * is announced on ARGV[5], so every instance signs with the new key and publishes it at once.
 *
 * KEYS: active kid, kid -> key JSON, kid -> retirement, kids newest first.
 * ARGV: expected active kid, new kid, new key JSON, retirement, channel, message.
 * Returns 1 when activated, 0 when another instance got there first.
 */
export const activateSigningKeyScript = `
local active = redis.call('GET', KEYS[1])
if (active or '') ~= ARGV[1] then return 0 end
if active then redis.call('HSET', KEYS[3], active, ARGV[4]) end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('LPUSH', KEYS[4], ARGV[2])
redis.call('SET', KEYS[1], ARGV[2])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`;

/**
 * Takes one unit from a token bucket shared by every instance (the same arithmetic as the
 * sandbox's in-memory limiter: continuous refill of capacity per refillMs). ARGV[4] 'spend' takes
 * one only when there is one (the event is refused otherwise); 'record' takes one down to zero
 * (a failure already answered). When the bucket ends empty, every instance hears until when, so
 * each refuses at once without asking Redis.
 *
 * KEYS: the bucket. ARGV: capacity, refillMs, now (ms), operation, channel, the bucket's name.
 * Returns the tokens the bucket held before, as a string (Lua numbers would be truncated to integers).
 */
export const takeFromBucketScript = `
local capacity = tonumber(ARGV[1])
local refillMs = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = capacity
if state[1] then
  tokens = math.min(capacity, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * capacity / refillMs)
end
local before = tokens
if ARGV[4] == 'spend' then
  if tokens >= 1 then tokens = tokens - 1 end
else
  tokens = math.max(0, tokens - 1)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', ARGV[3])
-- Gone once full again: a full bucket and no bucket are the same.
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * refillMs / capacity) + 1000)
if tokens < 1 then
  local blockedUntil = now + math.ceil((1 - tokens) * refillMs / capacity)
  redis.call('PUBLISH', ARGV[5], '{"type":"rate-limited","bucket":' .. cjson.encode(ARGV[6]) .. ',"until":' .. string.format('%d', blockedUntil) .. '}')
end
return string.format('%.17g', before)
`;

/**
 * Removes every signing key but ARGV[1] (the incident procedure for a leaked key), and tells every
 * instance, which reloads its keys and so stops accepting tokens the removed keys signed.
 *
 * KEYS: kid -> key JSON, kid -> retirement, kids newest first. ARGV: kid to keep, channel, message.
 * Returns the kids removed.
 */
export const withdrawSigningKeysScript = `
local removed = {}
for _, kid in ipairs(redis.call('HKEYS', KEYS[1])) do
  if kid ~= ARGV[1] then
    redis.call('HDEL', KEYS[1], kid)
    redis.call('HDEL', KEYS[2], kid)
    redis.call('LREM', KEYS[3], 0, kid)
    table.insert(removed, kid)
  end
end
redis.call('PUBLISH', ARGV[2], ARGV[3])
return removed
`;
