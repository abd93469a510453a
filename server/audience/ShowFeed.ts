import { Redis } from 'ioredis';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { CueOffer } from '../../pipeline/cues/Cue.js';
import { defineScript, storeCall, type ScriptCall } from '../viewers/redisCall.js';
import { parseWideState, type SequencedState, type ShowWideState } from './showWideState.js';

/** When a word-timed CTA is shown: the word's stream time, and the wait without a playout clock. */
export interface OfferTiming {
  atStreamTimeMs: number;
  fallbackDelayMs: number;
}

export type ShowFeedEvents = {
  /** A show's origin wrote a new state. */
  state: [showId: string, state: SequencedState];
  /** An origin's presenter said an offer word: each node decides for its own viewers. */
  offer: [showId: string, fromNode: string, offer: Required<CueOffer>, timing: OfferTiming];
  /** A vote was counted on `fromNode`: the origin sends the tallies from Redis. */
  voted: [showId: string, fromNode: string, pollId: string];
  /** The subscription came back after Redis was away: messages may have been missed. */
  resync: [];
};

// KEYS: the state, its sequence. ARGV: state JSON, channel, ttl ms, show id.
const PUBLISH_STATE = `
local seq = redis.call('INCR', KEYS[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
redis.call('SET', KEYS[1], seq .. '\\n' .. ARGV[1], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[2], '{"kind":"state","showId":"' .. ARGV[4] .. '","seq":' .. seq .. ',"state":' .. ARGV[1] .. '}')
return seq`;

const PUBLISH_TIMEOUT_MS = 500;

/**
 * A cluster's shows, told to every node over Redis: each show's origin writes the show-wide
 * state its viewers' decisions read (ShowWideState: a key per show plus a message on one
 * channel, ordered by a sequence number kept in Redis) and publishes word-timed offers; a node
 * that counts a poll vote says so, so the origin sends fresh tallies. Nodes that hold viewers
 * of a show it does not run follow the state; nothing here is on a viewer's decision path.
 */
export class ShowFeed extends EnhancedEventEmitter<ShowFeedEvents> {
  private readonly publishState: ScriptCall;

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    super();
    this.publishState = defineScript(redis, 'onairShowState', PUBLISH_STATE, 2);
    subscriber.on('message', (_channel, message: string) => this.receive(message));
  }

  /** `redis`: the audience's fail-fast connection (publishing); a subscriber of its own is opened on `url`. */
  static async open(redis: Redis, url: string, prefix: string): Promise<ShowFeed> {
    const subscriber = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: 2_000, retryStrategy: (n) => Math.min(100 * n, 2_000) });
    subscriber.on('error', () => undefined);
    const feed = new ShowFeed(redis, subscriber, prefix);
    let first = true;
    subscriber.on('ready', () => {
      if (first) return void (first = false);
      feed.safeEmit('resync');
    });
    await subscriber.subscribe(feed.channel);
    return feed;
  }

  get channel(): string {
    return `${this.prefix}:show-feed`;
  }

  private stateKey(showId: string): string {
    return `${this.prefix}:show-state:${showId}`;
  }

  /** Writes and announces a show's state; the sequence number it got. */
  async write(showId: string, state: ShowWideState, ttlMs: number): Promise<number> {
    const key = this.stateKey(showId);
    return Number(await storeCall(this.redis, PUBLISH_TIMEOUT_MS, () => this.publishState([key, `${key}:seq`], [JSON.stringify(state), this.channel, ttlMs, showId])));
  }

  /** The show's latest state; undefined when no origin wrote one (or it expired). */
  async read(showId: string): Promise<SequencedState | undefined> {
    const raw = await storeCall(this.redis, PUBLISH_TIMEOUT_MS, () => this.redis.get(this.stateKey(showId)));
    if (!raw) return undefined;
    const newline = raw.indexOf('\n');
    const state = parseWideState(raw.slice(newline + 1));
    return state && { seq: Number(raw.slice(0, newline)), state };
  }

  async offer(showId: string, node: string, offer: Required<CueOffer>, timing: OfferTiming): Promise<void> {
    await this.publish({ kind: 'offer', showId, node, offer, timing });
  }

  async voted(showId: string, node: string, pollId: string): Promise<void> {
    await this.publish({ kind: 'voted', showId, node, pollId });
  }

  close(): void {
    this.subscriber.disconnect();
    this.removeAllListeners();
  }

  private async publish(message: object): Promise<void> {
    await storeCall(this.redis, PUBLISH_TIMEOUT_MS, () => this.redis.publish(this.channel, JSON.stringify(message)));
  }

  /** Only nodes of this cluster publish here (Redis is trusted); a malformed message is dropped. */
  private receive(raw: string): void {
    let message: { kind?: unknown; showId?: unknown; node?: unknown; seq?: unknown; state?: unknown; offer?: unknown; timing?: unknown; pollId?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    const { showId, node } = message;
    if (typeof showId !== 'string') return;
    if (message.kind === 'state' && typeof message.seq === 'number') {
      const state = parseWideState(JSON.stringify(message.state));
      if (state) this.safeEmit('state', showId, { seq: message.seq, state });
    } else if (message.kind === 'offer' && typeof node === 'string' && isOffer(message.offer) && isTiming(message.timing)) {
      this.safeEmit('offer', showId, node, message.offer, message.timing);
    } else if (message.kind === 'voted' && typeof node === 'string' && typeof message.pollId === 'string') {
      this.safeEmit('voted', showId, node, message.pollId);
    }
  }
}

function isOffer(value: unknown): value is Required<CueOffer> {
  const offer = value as CueOffer | null;
  return typeof offer === 'object' && offer !== null && typeof offer.word === 'string' && typeof offer.overlay === 'string' && typeof offer.streamTimeMs === 'number';
}

function isTiming(value: unknown): value is OfferTiming {
  const timing = value as OfferTiming | null;
  return typeof timing === 'object' && timing !== null && Number.isFinite(timing.atStreamTimeMs) && Number.isFinite(timing.fallbackDelayMs);
}
