/**
 * Erases everything a viewer's index set lists (see viewerKeys.ts), then the index itself.
 * Touches keys it was not given in KEYS: one Redis only, not a cluster.
 *
 * KEYS: index. ARGV: viewerId.
 * A member naming a key of the wrong type, or not of the three forms, is skipped and counted.
 * Reply: { keysDeleted, membershipsRemoved, streamEntriesDeleted, membersSkipped }.
 */
export const ERASE_LUA = `
local index, viewerId = KEYS[1], ARGV[1]
local keysDeleted, membershipsRemoved, entriesDeleted, skipped = 0, 0, 0, 0
local BATCH = 500

-- A member naming a key of the wrong type is skipped, not fatal: the rest is still erased.
local function try(...)
  local reply = redis.pcall(...)
  if type(reply) == 'table' and reply.err then
    skipped = skipped + 1
    return nil
  end
  return reply
end

local function xdel_listed(stream, list)
  local ids = try('LRANGE', list, 0, -1)
  if not ids then return end
  for first = 1, #ids, BATCH do
    local last = math.min(first + BATCH - 1, #ids)
    entriesDeleted = entriesDeleted + (try('XDEL', stream, unpack(ids, first, last)) or 0)
  end
  keysDeleted = keysDeleted + redis.call('DEL', list)
end

for _, member in ipairs(redis.call('SMEMBERS', index)) do
  local op, key, key2 = string.match(member, '^(%a+) (%S+) ?(%S*)$')
  if op == 'del' and key2 == '' then
    keysDeleted = keysDeleted + redis.call('DEL', key)
  elseif op == 'srem' and key2 == '' then
    membershipsRemoved = membershipsRemoved + (try('SREM', key, viewerId) or 0)
  elseif op == 'xdel' and key2 ~= '' then
    xdel_listed(key, key2)
  else
    skipped = skipped + 1
  end
end
redis.call('DEL', index)
return { keysDeleted, membershipsRemoved, entriesDeleted, skipped }
`;
