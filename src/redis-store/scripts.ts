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
