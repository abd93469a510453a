import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CodedError } from '../../lib/errors/CodedError.js';
import { storeCall } from '../viewers/redisCall.js';

/** What an advertiser signs: the campaign (a CTA template id), when, and which decision of which show converted. */
export interface Postback {
  campaign: string;
  /** Unix time in milliseconds, as sent in `x-onair-timestamp`. */
  timestampMs: number;
  showId: string;
  decisionId: string;
}

export interface ConversionsOptions {
  prefix: string;
  /** An HMAC-SHA256 secret per campaign; a campaign without one cannot report conversions. */
  secrets: Record<string, string>;
  /** How far a postback's timestamp may be from now, either way. */
  replayWindowMs: number;
  /** How long "this decision converted" is remembered (the audit retention). */
  retentionMs: number;
  timeoutMs?: number;
}

const SIGNATURE = /^[0-9a-f]{64}$/;

/** The hex HMAC-SHA256 an advertiser sends in `x-onair-signature` (docs/security.md). */
export function postbackSignature(secret: string, p: Postback): string {
  return createHmac('sha256', secret).update(`onair-conversion-v1\n${p.campaign}\n${p.timestampMs}\n${p.showId}\n${p.decisionId}`).digest('hex');
}

/**
 * Advertiser postbacks: each is signed with its campaign's secret and timestamped, and counts
 * once per decision whatever is replayed or resent (a Redis SET NX per decision).
 */
export class Conversions {
  constructor(
    private readonly redis: Redis,
    private readonly options: ConversionsOptions,
  ) {}

  /**
   * The postback's credentials without its body: a known campaign, a timestamp within the
   * replay window and a signature of the right form. Runs before the body is parsed.
   */
  checkCredentials(campaign: string, timestampMs: number, signature: string | undefined, nowMs = Date.now()): string {
    const secret = Object.hasOwn(this.options.secrets, campaign) ? this.options.secrets[campaign] : undefined;
    if (!secret) throw new CodedError('POSTBACK_INVALID', 'unknown campaign or no postback secret configured for it');
    if (!Number.isSafeInteger(timestampMs) || Math.abs(nowMs - timestampMs) > this.options.replayWindowMs) {
      throw new CodedError('POSTBACK_INVALID', 'the postback timestamp is outside the replay window');
    }
    if (!signature || !SIGNATURE.test(signature)) throw new CodedError('POSTBACK_INVALID', 'the postback signature is missing or malformed');
    return secret;
  }

  /** Throws POSTBACK_INVALID unless the signature is the campaign's and the timestamp is within the window. */
  verify(postback: Postback, signature: string | undefined, nowMs = Date.now()): void {
    const secret = this.checkCredentials(postback.campaign, postback.timestampMs, signature, nowMs);
    const expected = Buffer.from(postbackSignature(secret, postback), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature!, 'hex'))) throw new CodedError('POSTBACK_INVALID', 'the postback signature does not match');
  }

  /** True the first time a decision converts; false for every later postback of it. */
  async first(showId: string, decisionId: string): Promise<boolean> {
    const key = `${this.options.prefix}:conversion:${showId}:${decisionId}`;
    const reply = await storeCall(this.redis, this.options.timeoutMs ?? 1_000, () => this.redis.set(key, '1', 'PX', this.options.retentionMs, 'NX'));
    return reply === 'OK';
  }
}
