/**
 * Lua for a script that records a member in a viewer's index set (viewerKeys.ts). The index
 * must outlive every key it lists, or an erase after the index expired would miss live keys:
 * a new index gets the caller's TTL, a volatile one is only ever extended, and a persistent
 * one (another store chose no TTL) stays persistent. Embed it; it defines `index_add`.
 */
export const INDEX_ADD_LUA = `
local function index_add(index, member, ttlMs)
  local left = redis.call('PTTL', index)
  redis.call('SADD', index, member)
  if left == -2 or (left >= 0 and left < ttlMs) then
    redis.call('PEXPIRE', index, ttlMs)
  end
end
`;
