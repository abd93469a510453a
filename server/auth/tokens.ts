import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type Role = 'host' | 'producer' | 'viewer';

export interface ViewerClaims {
  viewerId: string;
  showId: string;
  expiresAtMs: number;
}

const VIEWER_TOKEN_TTL_MS = 12 * 60 * 60 * 1000;
/** A returning viewer keeps its anonymous id this long after its last token expired. */
const RETURNING_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Signed, stateless viewer tokens: `v1.<viewerId>.<showId>.<expiresAtMs>.<hmac>`. */
export class ViewerTokens {
  constructor(private readonly secret: string) {}

  issue(showId: string, viewerId = randomBytes(9).toString('base64url'), now = Date.now()): string {
    const body = `v1.${viewerId}.${showId}.${now + VIEWER_TOKEN_TTL_MS}`;
    return `${body}.${this.sign(body)}`;
  }

  /** Returns the claims, or undefined when the token is malformed, forged or expired. */
  verify(token: string, now = Date.now()): ViewerClaims | undefined {
    const claims = this.signed(token);
    return claims && claims.expiresAtMs >= now ? claims : undefined;
  }

  /**
   * The anonymous id of a viewer coming back with a token of an earlier show (kept by the
   * viewer page only with consent), so its arm and profile follow it; undefined if forged or stale.
   */
  returningViewerId(token: string, now = Date.now()): string | undefined {
    const claims = this.signed(token);
    return claims && claims.expiresAtMs + RETURNING_WINDOW_MS >= now ? claims.viewerId : undefined;
  }

  private signed(token: string): ViewerClaims | undefined {
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== 'v1') return undefined;
    const body = parts.slice(0, 4).join('.');
    if (!safeEqual(this.sign(body), parts[4]!)) return undefined;
    const expiresAtMs = Number(parts[3]);
    if (!Number.isFinite(expiresAtMs)) return undefined;
    return { viewerId: parts[1]!, showId: parts[2]!, expiresAtMs };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
