import { INDEX_ADD_LUA } from './indexLua.js';
import { PROFILE_LUA } from './profileLua.js';

/**
 * One session update, the engagement score, the consent-gated profile and the index entries,
 * in one script; replies with the session hash (HGETALL). Session hash fields: join, consent,
 * watchMs, topics (JSON array), ctasShown, ctasClicked, shown:<t>, clicked:<t>, dismissed:<t>,
 * dismisses, votes, chats, seeks, lastCtaAtMs, lastPollId, lastPollAnswer, paused, muted,
 * engagement, lastEventMs, profiled.
 *
 * KEYS: session, index, profile.
 * ARGV: nowMs, sessionTtlMs, retentionMs, indexMarginMs, maxTopicsSeen, maxProfileTopics,
 *       sessionMember, profileMember, kind, a, b.
 */
export const SESSION_APPLY_LUA = `${INDEX_ADD_LUA}${PROFILE_LUA}
local session, index, profile = KEYS[1], KEYS[2], KEYS[3]
local now, sessionTtl, retention, margin = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local maxSeen, maxAffinities = tonumber(ARGV[5]), tonumber(ARGV[6])
local sessionMember, profileMember = ARGV[7], ARGV[8]
local kind, a, b = ARGV[9], ARGV[10], ARGV[11]

local function bump(field, by) redis.call('HINCRBY', session, field, by) end
local function set(field, value) redis.call('HSET', session, field, value) end

local function append_topic(topic)
  local raw = redis.call('HGET', session, 'topics')
  local list = raw and cjson.decode(raw) or {}
  if list[#list] == topic then return end
  table.insert(list, topic)
  while #list > maxSeen do table.remove(list, 1) end
  set('topics', cjson.encode(list))
end

-- Documented in docs/sessions.md: keep the two in step.
local function engagement()
  local v = redis.call('HMGET', session, 'watchMs', 'ctasClicked', 'votes', 'chats', 'dismisses')
  local watch, clicks, votes, chats, dismisses = tonumber(v[1]) or 0, tonumber(v[2]) or 0, tonumber(v[3]) or 0, tonumber(v[4]) or 0, tonumber(v[5]) or 0
  local score = 0.5 * (1 - math.exp(-watch / 600000))
    + 0.15 * math.min(1, clicks / 2) + 0.15 * math.min(1, votes / 2) + 0.2 * math.min(1, chats / 3)
    - 0.1 * math.min(1, dismisses / 3)
  score = math.max(0, math.min(1, score))
  return math.floor(score * 10000 + 0.5) / 10000
end

local updates = {
  join = function() set('join', a); set('consent', b) end,
  heartbeat = function() bump('watchMs', tonumber(a)); if b ~= '' then append_topic(b) end end,
  pause = function() set('paused', '1') end,
  resume = function() set('paused', '0') end,
  mute = function() set('muted', '1') end,
  unmute = function() set('muted', '0') end,
  seek = function() bump('seeks', 1) end,
  chat = function() bump('chats', 1) end,
  impression = function() bump('ctasShown', 1); bump('shown:' .. a, 1); set('lastCtaAtMs', now) end,
  click = function() bump('ctasClicked', 1); bump('clicked:' .. a, 1) end,
  dismiss = function() bump('dismisses', 1); bump('dismissed:' .. a, 1) end,
  vote = function() bump('votes', 1); set('lastPollId', a); set('lastPollAnswer', b) end,
}
local update = updates[kind]
if not update then return redis.error_reply('ERR unknown session update ' .. kind) end

update()
set('engagement', engagement())
set('lastEventMs', now)
redis.call('PEXPIRE', session, sessionTtl)
index_add(index, sessionMember, sessionTtl + margin)

local p = { key = profile, session = session, index = index, member = profileMember, now = now, kind = kind,
  retentionMs = retention, marginMs = margin, maxTopics = maxAffinities }
if kind == 'join' and b == '0' then
  profile_withdraw(p)
elseif redis.call('HGET', session, 'consent') == '1' then
  if kind == 'heartbeat' then p.topic, p.watchMs = b, tonumber(a) end
  profile_touch(p)
end
return redis.call('HGETALL', session)
`;
