import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { addressKey } from '../http/clientAddress.js';
import { TokenBucket } from '../shows/chat/TokenBucket.js';
import { safeEqual, type ReturningViewer, type Role, type ViewerClaims, type ViewerTokens } from './tokens.js';

export interface Principal {
  role: Role;
  viewer?: ViewerClaims;
}

/** Resolves bearer tokens to roles: hosts and producers by shared token, viewers by signed token. */
export class Authenticator {
  private readonly joins: TokenBucket;
  /** What each request's `only` hook let in, for its handler. */
  private readonly admitted = new WeakMap<FastifyRequest, Principal>();

  constructor(
    private readonly hostToken: string,
    private readonly producerToken: string,
    readonly viewerTokens: ViewerTokens,
    joinsPerIp: { burst: number; perSecond: number } = { burst: 100, perSecond: 2 },
  ) {
    this.joins = new TokenBucket(joinsPerIp.burst, joinsPerIp.perSecond);
  }

  /**
   * A new viewer token for a show. Minting is limited per client address: every token is a
   * viewer that may vote, so unlimited minting would let one client stuff a poll.
   */
  issueViewerToken(request: FastifyRequest, showId: string, returning?: ReturningViewer): string {
    if (!this.joins.take(addressKey(request.ip))) throw new CodedError('RATE_LIMITED', 'too many joins from this address; try again shortly', 5);
    return returning ? this.viewerTokens.issue(showId, returning) : this.viewerTokens.issue(showId);
  }

  /** The caller's principal, or undefined when no Authorization header was sent. */
  identify(request: FastifyRequest): Principal | undefined {
    const header = request.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer ([^\s]{1,512})$/.exec(header);
    if (!match) throw new CodedError('AUTH_INVALID', 'Authorization must be "Bearer <token>"');
    const token = match[1]!;
    if (safeEqual(token, this.hostToken)) return { role: 'host' };
    if (safeEqual(token, this.producerToken)) return { role: 'producer' };
    const viewer = this.viewerTokens.verify(token);
    if (viewer) return { role: 'viewer', viewer };
    throw new CodedError('AUTH_INVALID', 'the bearer token is not valid');
  }

  /** Requires one of the roles; 401 without credentials, 403 with the wrong role. */
  require(request: FastifyRequest, ...roles: Role[]): Principal {
    const principal = this.identify(request);
    if (!principal) throw new CodedError('AUTH_REQUIRED', `this action needs a ${roles.join(' or ')} token`);
    if (!roles.includes(principal.role)) {
      throw new CodedError('FORBIDDEN_ROLE', `a ${principal.role} may not do this; it needs ${roles.join(' or ')}`);
    }
    return principal;
  }

  /**
   * A route's `onRequest` hook that admits only these roles. It runs before the body is
   * parsed and validated, so a caller without the right token gets 401 or 403 whatever it sent.
   */
  only(...roles: Role[]): onRequestHookHandler {
    return async (request) => {
      this.admitted.set(request, this.require(request, ...roles));
    };
  }

  /** The principal the route's `only` hook admitted. */
  principal(request: FastifyRequest): Principal {
    const principal = this.admitted.get(request);
    if (!principal) throw new Error(`${request.routeOptions.url ?? request.url} has no auth hook`);
    return principal;
  }
}
