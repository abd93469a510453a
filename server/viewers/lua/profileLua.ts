/**
 * Lua for the consent-gated long-term profile, embedded in the session script so that one
 * event stays one round trip. Expects `index_add` (indexLua.ts). Profile hash fields:
 * firstSeenMs, lastSeenMs, clicks, shows, topics (JSON object: topic → heartbeats on it).
 */
export const PROFILE_LUA = `
local function profile_affinity(profile, topic, maxTopics)
  local raw = redis.call('HGET', profile, 'topics')
  local counts = raw and cjson.decode(raw) or {}
  counts[topic] = (counts[topic] or 0) + 1
  local size, least, leastTopic = 0, nil, nil
  for name, count in pairs(counts) do
    size = size + 1
    if name ~= topic and (least == nil or count < least or (count == least and name < leastTopic)) then
      least, leastTopic = count, name
    end
  end
  if size > maxTopics then counts[leastTopic] = nil end
  redis.call('HSET', profile, 'topics', cjson.encode(counts))
end

-- Only called when the session's join context says consent.
local function profile_touch(p)
  redis.call('HSETNX', p.key, 'firstSeenMs', p.now)
  redis.call('HSET', p.key, 'lastSeenMs', p.now)
  if redis.call('HSETNX', p.session, 'profiled', '1') == 1 then redis.call('HINCRBY', p.key, 'shows', 1) end
  if p.kind == 'click' then redis.call('HINCRBY', p.key, 'clicks', 1) end
  if p.kind == 'heartbeat' and p.topic ~= '' and p.watchMs > 0 then profile_affinity(p.key, p.topic, p.maxTopics) end
  redis.call('PEXPIRE', p.key, p.retentionMs)
  index_add(p.index, p.member, p.retentionMs + p.marginMs)
end

-- Consent withdrawn: the profile goes, and so does its index entry.
local function profile_withdraw(p)
  redis.call('DEL', p.key)
  redis.call('SREM', p.index, p.member)
  redis.call('HDEL', p.session, 'profiled')
end
`;
