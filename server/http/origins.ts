import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';

/**
 * Which web origins may use OnAir from a browser. A page of OnAir's own origin always may;
 * `ALLOWED_ORIGINS` adds the sites that embed its pages, open its sockets or call its API, and
 * `WHEP_CORS_ORIGINS` the players that may only watch (WHEP). `*` in either is an explicit
 * opt-in for any origin. A request without an `Origin` header comes from no web page (curl,
 * OBS, a server) and is not an origin's to refuse.
 */
export class OriginPolicy {
  private readonly pages: ReadonlySet<string>;
  private readonly players: ReadonlySet<string>;
  private readonly publicOrigin: string | undefined;

  constructor(
    settings: { allowedOrigins: readonly string[]; whepCorsOrigins: readonly string[]; publicUrl?: string },
    /** The public URLs of the other nodes of this cluster: their pages are OnAir's own too (a viewer sent by a 307). */
    private readonly clusterUrls: () => Iterable<string> = () => [],
  ) {
    this.pages = new Set(settings.allowedOrigins);
    this.players = new Set([...settings.allowedOrigins, ...settings.whepCorsOrigins]);
    this.publicOrigin = settings.publicUrl ? safeOrigin(settings.publicUrl) : undefined;
  }

  /** Pages, sockets and the API: OnAir's own origin, or one in `ALLOWED_ORIGINS`. */
  allowsPage(origin: string | undefined, host: string | undefined): boolean {
    return origin === undefined || this.sameOrigin(origin, host) || this.pages.has('*') || this.pages.has(origin) || this.ofCluster(origin);
  }

  /** WHEP: also the players in `WHEP_CORS_ORIGINS`. */
  allowsPlayer(origin: string | undefined, host: string | undefined): boolean {
    return origin === undefined || this.sameOrigin(origin, host) || this.players.has('*') || this.players.has(origin) || this.ofCluster(origin);
  }

  /** The CORS headers for a WHEP answer to `origin`: none unless it is an allowed player (or cross-origin at all). */
  whepCors(origin: string | undefined, host: string | undefined): Record<string, string> {
    const vary = { vary: 'Origin' };
    if (origin === undefined || this.sameOrigin(origin, host) || !this.allowsPlayer(origin, host)) return vary;
    return {
      ...vary,
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'POST, DELETE, PATCH, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, if-match, x-onair-returning',
      'access-control-expose-headers': 'location, etag, link, x-onair-viewer-token, x-onair-alternates, x-onair-extmap',
    };
  }

  /** A page another node of the cluster served: cross-origin, but OnAir's own. */
  private ofCluster(origin: string): boolean {
    for (const url of this.clusterUrls()) if (safeOrigin(url) === origin) return true;
    return false;
  }

  private sameOrigin(origin: string, host: string | undefined): boolean {
    if (origin === this.publicOrigin) return true;
    if (host === undefined) return false;
    try {
      return new URL(origin).host === host.toLowerCase();
    } catch {
      return false;
    }
  }
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The value of an `Origin` header, or undefined when none. An opaque origin (`null`) is refused like any unlisted one. */
export function originOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers.origin;
  return typeof value === 'string' ? value : undefined;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses requests that change something (POST, PUT, PATCH, DELETE) sent by a web page of an
 * origin that may not use OnAir (`ALLOWED_ORIGINS`), before anything else runs: such a page
 * could otherwise spend its visitors' join budget or act with a token it holds. WHEP checks
 * its own origins (`WHEP_CORS_ORIGINS` too).
 */
export function installOriginCheck(app: FastifyInstance, policy: OriginPolicy): void {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method) || request.url.startsWith('/whep/')) return;
    const origin = originOf(request.headers);
    if (!policy.allowsPage(origin, request.headers.host)) throw new CodedError('ORIGIN_FORBIDDEN', `pages of ${origin} may not use this server (ALLOWED_ORIGINS)`);
  });
}
