import type { Redis } from 'ioredis';
import { InvalidViewerDataError } from './errors.js';
import { checkId, checkLabel, checkTemplateId } from './ids.js';
import { SESSION_APPLY_LUA } from './lua/sessionApplyLua.js';
import { DEFAULT_STORE_TIMEOUT_MS, defineScript, storeCall, type ScriptCall } from './redisCall.js';
import { pairsToObject, sessionFromHash } from './sessionHash.js';
import type { SessionSnapshot, SessionUpdate } from './sessionTypes.js';
import { indexMember, viewerKeys, type ViewerKeys } from './viewerKeys.js';

export interface SessionStoreOptions {
  /** Key prefix for viewerKeys. */
  prefix: string;
  /** Sliding: every update pushes the session's expiry this far ahead. Default 30 min. */
  sessionTtlMs?: number;
  /** The long-term profile expires this long after its last update. Default 30 days. */
  profileRetentionMs?: number;
  /** Bound on one call, Redis down or slow. Default 250 ms. */
  timeoutMs?: number;
  /** topicsSeen keeps the most recent this many. Default 10. */
  maxTopicsSeen?: number;
  /** The profile keeps the most-watched this many topics. Default 20. */
  maxProfileTopics?: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** The viewer's index outlives the keys it lists by this much, so an erase never misses one. */
const INDEX_MARGIN_MS = MINUTE;
const MAX_TOPIC_CHARS = 64;
const MAX_ANSWER_CHARS = 120;
const SCRIPT_NAME = 'onairViewerSessionApply';

/**
 * Each viewer's session in each show: one Redis hash with a sliding TTL, updated by one
 * script call per event (EVALSHA: one round trip) that also keeps the consent-gated
 * profile and the viewer's index, and replies with the updated session.
 */
export class SessionStore {
  readonly sessionTtlMs: number;
  readonly profileRetentionMs: number;
  private readonly keys: ViewerKeys;
  private readonly timeoutMs: number;
  private readonly maxTopicsSeen: number;
  private readonly maxProfileTopics: number;
  private readonly script: ScriptCall;

  /** Give it a connection of its own opened with VIEWER_STORE_REDIS_OPTIONS (see docs/sessions.md). */
  constructor(
    private readonly redis: Redis,
    options: SessionStoreOptions,
  ) {
    this.keys = viewerKeys(options.prefix);
    this.sessionTtlMs = positive(options.sessionTtlMs ?? 30 * MINUTE, 'sessionTtlMs');
    this.profileRetentionMs = positive(options.profileRetentionMs ?? 30 * DAY, 'profileRetentionMs');
    this.timeoutMs = positive(options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS, 'timeoutMs');
    this.maxTopicsSeen = positive(options.maxTopicsSeen ?? 10, 'maxTopicsSeen');
    this.maxProfileTopics = positive(options.maxProfileTopics ?? 20, 'maxProfileTopics');
    this.script = defineScript(redis, SCRIPT_NAME, SESSION_APPLY_LUA, 3);
  }

  /** Applies one update and returns the session as it is after it. Rejects with ViewerStoreUnavailableError. */
  async apply(showId: string, viewerId: string, update: SessionUpdate, nowMs: number): Promise<SessionSnapshot> {
    const [a, b] = argumentsOf(update);
    const session = this.keys.session(checkId(showId, 'showId'), checkId(viewerId, 'viewerId'));
    const profile = this.keys.profile(viewerId);
    const args = [
      Math.round(nowMs), this.sessionTtlMs, this.profileRetentionMs, INDEX_MARGIN_MS, this.maxTopicsSeen, this.maxProfileTopics,
      indexMember.del(session), indexMember.del(profile), update.kind, a, b,
    ];
    const reply = await storeCall(this.redis, this.timeoutMs, () => this.script([session, this.keys.index(viewerId), profile], args));
    return sessionFromHash(pairsToObject(reply));
  }

  /** The session, or undefined when the viewer has none in this show (never joined, or expired). Does not slide the TTL. */
  async read(showId: string, viewerId: string): Promise<SessionSnapshot | undefined> {
    const key = this.keys.session(checkId(showId, 'showId'), checkId(viewerId, 'viewerId'));
    const hash = await storeCall(this.redis, this.timeoutMs, () => this.redis.hgetall(key));
    return Object.keys(hash).length === 0 ? undefined : sessionFromHash(hash);
  }
}

/** The update's two script arguments, checked: they become hash fields and values. */
function argumentsOf(update: SessionUpdate): [string | number, string] {
  switch (update.kind) {
    case 'join':
      return [JSON.stringify(update.join), update.join.consent ? '1' : '0'];
    case 'heartbeat':
      if (!Number.isInteger(update.watchMs) || update.watchMs < 0) throw new InvalidViewerDataError('heartbeat watchMs must be a whole number ≥ 0');
      return [update.watchMs, update.topic === undefined ? '' : checkLabel(update.topic, 'topic', MAX_TOPIC_CHARS)];
    case 'impression':
    case 'click':
    case 'dismiss':
      return [checkTemplateId(update.templateId), ''];
    case 'vote':
      return [checkId(update.pollId, 'pollId'), checkLabel(update.option, 'poll answer', MAX_ANSWER_CHARS)];
    case 'pause':
    case 'resume':
    case 'mute':
    case 'unmute':
    case 'seek':
    case 'chat':
      return ['', ''];
    default:
      throw new InvalidViewerDataError(`unknown session update ${JSON.stringify((update as { kind?: unknown }).kind)}`);
  }
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) throw new InvalidViewerDataError(`${name} must be a positive number`);
  return Math.round(value);
}
