import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Role = 'host' | 'producer' | 'viewer';

export interface ViewerClaims {
  viewerId: string;
  showId: string;
  expiresAtMs: number;
  /** When the viewer's anonymous identity was first minted; re-mints for a returning viewer keep it. */
  bornAtMs: number;
}

/** A viewer coming back with an earlier token: its id, and when that identity was born. */
export interface ReturningViewer {
  viewerId: string;
  bornAtMs: number;
}

const VIEWER_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** A returning viewer keeps its anonymous id this long after its last token expired. */
const RETURNING_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** However often it comes back, an anonymous identity ends this long after it was first minted. */
export const MAX_IDENTITY_AGE_MS = 90 * 24 * 60 * 60 * 1000;
/** Revoked identities remembered at once; past it the oldest are dropped (they expire anyway). */
const MAX_REVOKED = 100_000;

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Signed viewer tokens: `v2.<viewerId>.<showId>.<expiresAtMs>.<bornAtMs>.<hmac>` (v1 tokens,
 * without the birth time, are still read). Stateless but for a revocation list: an erased
 * viewer's identity is refused until every token it could hold has expired.
 */
export class ViewerTokens {
  /** viewerId → when its revocation may be forgotten. */
  private readonly revoked = new Map<string, number>();

  constructor(private readonly secret: string) {}

  /**
   * A token for a show. A returning viewer keeps its id and its identity's birth time, so
   * the identity cannot be renewed past `MAX_IDENTITY_AGE_MS`; a plain id starts a new identity.
   */
  issue(showId: string, viewer: string | ReturningViewer = randomBytes(9).toString('base64url'), now = Date.now()): string {
    const { viewerId, bornAtMs } = typeof viewer === 'string' ? { viewerId: viewer, bornAtMs: now } : viewer;
    const expiresAtMs = Math.min(now + VIEWER_TOKEN_TTL_MS, bornAtMs + MAX_IDENTITY_AGE_MS);
    const body = `v2.${viewerId}.${showId}.${expiresAtMs}.${bornAtMs}`;
    return `${body}.${this.sign(body)}`;
  }

  /** Returns the claims, or undefined when the token is malformed, forged, expired or revoked. */
  verify(token: string, now = Date.now()): ViewerClaims | undefined {
    const claims = this.signed(token, now);
    return claims && claims.expiresAtMs >= now ? claims : undefined;
  }

  /**
   * The identity of a viewer coming back with a token of an earlier show (kept by the viewer
   * page only with consent), so its arm and profile follow it; undefined if forged, stale,
   * revoked or older than `MAX_IDENTITY_AGE_MS`.
   */
  returning(token: string, now = Date.now()): ReturningViewer | undefined {
    const claims = this.signed(token, now);
    if (!claims || claims.expiresAtMs + RETURNING_WINDOW_MS < now || claims.bornAtMs + MAX_IDENTITY_AGE_MS < now) return undefined;
    return { viewerId: claims.viewerId, bornAtMs: claims.bornAtMs };
  }

  /** The anonymous id of a returning viewer (see `returning`). */
  returningViewerId(token: string, now = Date.now()): string | undefined {
    return this.returning(token, now)?.viewerId;
  }

  /** Refuses every token of this viewer from now on (its data was erased); returns until when. */
  revoke(viewerId: string, now = Date.now()): number {
    // No token of an identity born before now outlives its birth plus the cap.
    const untilMs = now + MAX_IDENTITY_AGE_MS;
    this.remember(viewerId, untilMs, now);
    return untilMs;
  }

  /** Revocations kept elsewhere (Redis) from before this process started. */
  restore(revocations: Iterable<[viewerId: string, untilMs: number]>, now = Date.now()): void {
    for (const [viewerId, untilMs] of revocations) this.remember(viewerId, untilMs, now);
  }

  private remember(viewerId: string, untilMs: number, now: number): void {
    for (const [id, until] of this.revoked) {
      if (until >= now && this.revoked.size < MAX_REVOKED) break;
      this.revoked.delete(id);
    }
    this.revoked.delete(viewerId);
    this.revoked.set(viewerId, untilMs);
  }

  private signed(token: string, now: number): ViewerClaims | undefined {
    const parts = token.split('.');
    const fields = parts[0] === 'v2' ? 6 : parts[0] === 'v1' ? 5 : 0;
    if (fields === 0 || parts.length !== fields) return undefined;
    const body = parts.slice(0, fields - 1).join('.');
    if (!safeEqual(this.sign(body), parts[fields - 1]!)) return undefined;
    const expiresAtMs = Number(parts[3]);
    const bornAtMs = fields === 6 ? Number(parts[4]) : expiresAtMs - VIEWER_TOKEN_TTL_MS;
    if (!Number.isFinite(expiresAtMs) || !Number.isFinite(bornAtMs)) return undefined;
    const viewerId = parts[1]!;
    const revokedUntil = this.revoked.get(viewerId);
    if (revokedUntil !== undefined && revokedUntil >= now) return undefined;
    return { viewerId, showId: parts[2]!, expiresAtMs, bornAtMs };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
