import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { Authenticator, Principal } from '../auth/Authenticator.js';
import type { ReturningViewer } from '../auth/tokens.js';
import { addressKey } from '../http/clientAddress.js';
import type { IceServers } from '../ice/IceServers.js';
import type { WhepRouting } from '../cluster/WhepRouting.js';
import { originOf, type OriginPolicy } from '../http/origins.js';
import type { Metrics } from '../metrics.js';
import { TokenBucket } from '../shows/chat/TokenBucket.js';
import type { Sfu } from '../sfu/Sfu.js';
import { checkOfferLimits, MAX_SDP_BYTES } from '../sfu/viewerOffer.js';
import { WhepSessions, type WhepSession } from './WhepSessions.js';

/** How WHEP admits sessions (the settings of the same names, README's configuration table). */
export interface WhepLimits {
  maxViewersPerShow: number;
  /** Sessions above the cap that only a host's preview may use. */
  hostPreviewReserve: number;
  /** Sessions one viewer (token) may hold in a show; a new one replaces its oldest. */
  maxSessionsPerViewer: number;
  /** Viewer sessions from one address (an IPv6 /64) over all shows. */
  maxSessionsPerAddress: number;
  /** WHEP offers per address, token or not: a burst, then a steady rate. */
  offersPerAddress: { burst: number; perSecond: number };
  connectGraceMs: number;
  disconnectGraceMs: number;
}

export interface WhepDeps {
  sfu: Sfu;
  auth: Authenticator;
  metrics: Metrics;
  origins: OriginPolicy;
  limits: WhepLimits;
  /**
   * Prefix of session Locations: '' (a path on this host), or this node's PUBLIC_URL when it
   * has a path (`https://onair.example.com/nodes/server-2` behind one proxy), so a DELETE
   * reaches the node that holds the session and not whichever node the proxy picks.
   */
  sessionBase: string;
  /** Which node serves a viewer of a show (cluster): here, or a 307 to another node. */
  routing: WhepRouting;
  /** STUN/TURN servers advertised in `Link: <…>; rel="ice-server"` headers (TURN_URLS, STUN_URLS). */
  iceServers?: IceServers;
  /** The SFU closed a session on its own (a worker died, ICE failed): its viewer should reconnect now. */
  onSessionLost?: (session: WhepSession) => void;
}

const SESSION_ID = /^[0-9a-f]{32}$/;

/**
 * WHEP egress (RFC 9725 draft lineage): POST an SDP offer, get 201 + answer + Location;
 * DELETE the Location to leave. Answers carry every candidate, so trickle PATCH gets 405.
 */
export async function registerWhepRoutes(parent: FastifyInstance, deps: WhepDeps): Promise<WhepSessions> {
  const { connectGraceMs, disconnectGraceMs } = deps.limits;
  // A session that never connects, or loses its connection, stops counting and is closed.
  const sessions = new WhepSessions({ connectGraceMs, disconnectGraceMs }, (session, reason) => {
    parent.log.info({ sessionId: session.sessionId, showId: session.showId, reason }, 'WHEP session expired');
    deps.sfu.removeViewer(session.sessionId).catch(() => undefined);
  });
  parent.addHook('onClose', async () => sessions.close());
  deps.sfu.on('viewerstatechange', (sessionId, state) => {
    if (state !== 'closed') return sessions.onState(sessionId, state);
    // A DELETE forgets its session first, so one still known here was closed by the SFU.
    const lost = sessions.get(sessionId);
    sessions.delete(sessionId);
    if (lost) deps.onSessionLost?.(lost);
  });
  await parent.register(async (app) => {
    // WHEP speaks SDP only: any other body type is refused with 415 before a handler runs.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(['application/sdp', 'application/trickle-ice-sdpfrag'], { parseAs: 'string', bodyLimit: MAX_SDP_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    routes(app, deps, sessions);
  });
  return sessions;
}

function routes(app: FastifyInstance, deps: WhepDeps, sessions: WhepSessions): void {
  const offers = new TokenBucket(deps.limits.offersPerAddress.burst, deps.limits.offersPerAddress.perSecond);
  // CORS only for OnAir's own pages and the players the operator allowed (WHEP_CORS_ORIGINS, ALLOWED_ORIGINS).
  const cors = (request: FastifyRequest) => deps.origins.whepCors(originOf(request.headers), request.headers.host);
  // A non-trickle client (our pages) learns the ICE servers here, before it gathers for its offer.
  const iceLinks = (request: FastifyRequest) => (deps.origins.allowsPlayer(originOf(request.headers), request.headers.host) ? (deps.iceServers?.linkHeaders() ?? []) : []);
  // Where the SFU's header extension ids are fixed (mediasoup), our pages offer them: see client/common/whep.js.
  const extmap = deps.sfu.extensionIds?.map(({ id, uri }) => `${id} ${uri}`).join(', ');
  app.options('/whep/:showId', (request, reply) => {
    const links = iceLinks(request);
    return reply
      .code(204)
      .headers({ ...cors(request), 'accept-post': 'application/sdp', ...(links.length > 0 && { link: links }), ...(extmap && { 'x-onair-extmap': extmap }) })
      .send();
  });
  app.options('/whep/:showId/sessions/:sessionId', (request, reply) => reply.code(204).headers(cors(request)).send());

  app.post<{ Params: { showId: string } }>('/whep/:showId', { bodyLimit: MAX_SDP_BYTES }, async (request, reply) => {
    void reply.headers(cors(request));
    try {
      const origin = originOf(request.headers);
      if (!deps.origins.allowsPlayer(origin, request.headers.host)) {
        throw new CodedError('ORIGIN_FORBIDDEN', `pages of ${origin} may not join shows here (WHEP_CORS_ORIGINS)`);
      }
      const principal = deps.auth.identify(request);
      // Per address, with a viewer token or without: a token is no licence to flood.
      if (principal?.role !== 'host' && !offers.take(addressKey(request.ip))) {
        throw new CodedError('RATE_LIMITED', 'too many WHEP offers from this address; try again shortly', 5);
      }
      return await createSession(request, reply, principal, deps, sessions);
    } catch (error) {
      deps.metrics.whepRequests.inc({ outcome: (error as { code?: string }).code ?? 'INTERNAL' });
      throw error;
    }
  });

  app.delete<{ Params: { showId: string; sessionId: string } }>('/whep/:showId/sessions/:sessionId', async (request, reply) => {
    void reply.headers(cors(request));
    const { showId, sessionId } = request.params;
    const session = SESSION_ID.test(sessionId) ? sessions.get(sessionId) : undefined;
    if (!session || session.showId !== showId) throw new CodedError('SESSION_NOT_FOUND', 'no such WHEP session');
    const principal = deps.auth.identify(request);
    // The unguessable Location is itself the capability; a token, when sent, must be the owner's.
    if (principal && principal.role !== 'host' && principal.viewer?.viewerId !== session.viewerId) {
      throw new CodedError('SESSION_NOT_OWNED', 'this session belongs to another viewer');
    }
    sessions.delete(sessionId);
    await deps.sfu.removeViewer(sessionId);
    return reply.code(204).send();
  });

  app.patch('/whep/:showId/sessions/:sessionId', (_request, reply) =>
    reply.code(405).headers({ ...cors(_request), allow: 'DELETE' }).send({ error: { code: 'TRICKLE_UNSUPPORTED', message: 'answers carry all candidates; trickle ICE is not used' } }),
  );
}

/** `X-OnAir-Returning`: a token of an earlier show; its viewer keeps its anonymous id. */
function returningViewer(request: FastifyRequest, auth: WhepDeps['auth']): ReturningViewer | undefined {
  const header = request.headers['x-onair-returning'];
  return typeof header === 'string' && header.length <= 512 ? auth.viewerTokens.returning(header) : undefined;
}

async function createSession(
  request: FastifyRequest<{ Params: { showId: string } }>,
  reply: FastifyReply,
  principal: Principal | undefined,
  { sfu, auth, metrics, limits, iceServers, routing, sessionBase }: WhepDeps,
  sessions: WhepSessions,
) {
  const { showId } = request.params;
  if (principal && principal.role === 'viewer' && principal.viewer!.showId !== showId) {
    throw new CodedError('TOKEN_WRONG_SHOW', 'this viewer token is for another show');
  }
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/sdp')) {
    throw new CodedError('UNSUPPORTED_MEDIA_TYPE', 'WHEP offers must be sent as application/sdp');
  }
  const offer = typeof request.body === 'string' ? request.body : '';
  if (offer.trim() === '') throw new CodedError('INVALID_SDP', 'the SDP offer is empty');
  const route = await routing.route(showId);
  if ('redirect' in route) {
    // WHEP allows a redirect to another server; the client POSTs the same offer there.
    metrics.whepRequests.inc({ outcome: 'redirected' });
    return reply.code(307).header('location', route.redirect).send();
  }
  // Before a token is minted (it spends the address's join budget) or the SFU parses anything.
  checkOfferLimits(offer);
  const host = principal?.role === 'host';
  const address = addressKey(request.ip);
  // A viewer at its session limit swaps its oldest session for this one: it takes no new slot.
  const own = principal?.viewer ? sessions.ofViewer(showId, principal.viewer.viewerId) : [];
  const replaced = own.slice(0, Math.max(0, own.length - limits.maxSessionsPerViewer + 1));
  if (host) {
    if (sessions.count(showId, 'all') >= limits.maxViewersPerShow + limits.hostPreviewReserve) {
      throw new CodedError('VIEWER_LIMIT', `show ${showId} has no room left, even in the host preview reserve`, 10);
    }
  } else {
    if (sessions.count(showId, 'viewers') - replaced.length >= limits.maxViewersPerShow) {
      throw new CodedError('VIEWER_LIMIT', `show ${showId} has reached its cap of ${limits.maxViewersPerShow} viewers`, 10);
    }
    if (sessions.fromAddress(address) - replaced.length >= limits.maxSessionsPerAddress) {
      throw new CodedError('RATE_LIMITED', 'too many WebRTC sessions from this address', 10);
    }
  }
  const viewerToken = principal?.viewer ? undefined : auth.issueViewerToken(request, showId, returningViewer(request, auth));
  const viewerId = principal?.viewer?.viewerId ?? auth.viewerTokens.verify(viewerToken!)!.viewerId;
  const { sessionId, answerSdp } = await sfu.addViewer(showId, offer);
  sessions.add({ sessionId, showId, viewerId, address, host, createdAtMs: Date.now() });
  for (const old of replaced) {
    // Forgotten first, so its close is not reported as lost (its page would reconnect and swap back).
    if (sessions.delete(old.sessionId)) sfu.removeViewer(old.sessionId).catch(() => undefined);
  }
  metrics.whepRequests.inc({ outcome: 'created' });
  const links = iceServers?.linkHeaders() ?? [];
  return reply
    .code(201)
    .headers({
      location: `${sessionBase}/whep/${showId}/sessions/${sessionId}`,
      etag: `"${sessionId}"`,
      ...(viewerToken && { 'x-onair-viewer-token': viewerToken }),
      ...(links.length > 0 && { link: links }),
      ...(route.alternates.length > 0 && { 'x-onair-alternates': route.alternates.join(', ') }),
    })
    .type('application/sdp')
    .send(answerSdp);
}
