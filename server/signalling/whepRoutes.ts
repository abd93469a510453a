import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { Authenticator } from '../auth/Authenticator.js';
import type { Metrics } from '../metrics.js';
import type { ShowManager } from '../shows/ShowManager.js';
import type { Sfu } from '../sfu/Sfu.js';
import { checkOfferLimits, MAX_SDP_BYTES } from '../sfu/viewerOffer.js';
import { WhepSessions, type WhepSession } from './WhepSessions.js';

export interface WhepDeps {
  sfu: Sfu;
  shows: ShowManager;
  auth: Authenticator;
  metrics: Metrics;
  maxViewersPerShow: number;
  /** The SFU closed a session on its own (a worker died, ICE failed): its viewer should reconnect now. */
  onSessionLost?: (session: WhepSession) => void;
}

const SESSION_ID = /^[0-9a-f]{32}$/;
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, DELETE, PATCH, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, if-match',
  'access-control-expose-headers': 'location, etag, x-onair-viewer-token',
};

/**
 * WHEP egress (RFC 9725 draft lineage): POST an SDP offer, get 201 + answer + Location;
 * DELETE the Location to leave. Answers carry every candidate, so trickle PATCH gets 405.
 */
export async function registerWhepRoutes(parent: FastifyInstance, deps: WhepDeps): Promise<WhepSessions> {
  const sessions = new WhepSessions();
  deps.sfu.on('viewerstatechange', (sessionId, state) => {
    if (state !== 'closed') return;
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
  app.options('/whep/:showId', (_req, reply) => reply.code(204).headers({ ...CORS, 'accept-post': 'application/sdp' }).send());
  app.options('/whep/:showId/sessions/:sessionId', (_req, reply) => reply.code(204).headers(CORS).send());

  app.post<{ Params: { showId: string } }>('/whep/:showId', { bodyLimit: MAX_SDP_BYTES }, async (request, reply) => {
    void reply.headers(CORS);
    try {
      return await createSession(request, reply, deps, sessions);
    } catch (error) {
      deps.metrics.whepRequests.inc({ outcome: (error as { code?: string }).code ?? 'INTERNAL' });
      throw error;
    }
  });

  app.delete<{ Params: { showId: string; sessionId: string } }>('/whep/:showId/sessions/:sessionId', async (request, reply) => {
    void reply.headers(CORS);
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
    reply.code(405).headers({ ...CORS, allow: 'DELETE' }).send({ error: { code: 'TRICKLE_UNSUPPORTED', message: 'answers carry all candidates; trickle ICE is not used' } }),
  );
}

/** `X-OnAir-Returning`: a token of an earlier show; its viewer keeps its anonymous id. */
function returningViewer(request: FastifyRequest, auth: WhepDeps['auth']): string | undefined {
  const header = request.headers['x-onair-returning'];
  return typeof header === 'string' && header.length <= 512 ? auth.viewerTokens.returningViewerId(header) : undefined;
}

async function createSession(
  request: FastifyRequest<{ Params: { showId: string } }>,
  reply: FastifyReply,
  { sfu, shows, auth, metrics, maxViewersPerShow }: WhepDeps,
  sessions: WhepSessions,
) {
  const { showId } = request.params;
  const principal = auth.identify(request);
  if (principal && principal.role === 'viewer' && principal.viewer!.showId !== showId) {
    throw new CodedError('TOKEN_WRONG_SHOW', 'this viewer token is for another show');
  }
  const contentType = request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/sdp')) {
    throw new CodedError('UNSUPPORTED_MEDIA_TYPE', 'WHEP offers must be sent as application/sdp');
  }
  const offer = typeof request.body === 'string' ? request.body : '';
  if (offer.trim() === '') throw new CodedError('INVALID_SDP', 'the SDP offer is empty');
  await shows.requireLive(showId);
  // Before a token is minted (it spends the address's join budget) or the SFU parses anything.
  checkOfferLimits(offer);
  if (sfu.viewerCount(showId) >= maxViewersPerShow) {
    throw new CodedError('VIEWER_LIMIT', `show ${showId} has reached its cap of ${maxViewersPerShow} viewers`, 10);
  }
  const viewerToken = principal?.viewer ? undefined : auth.issueViewerToken(request, showId, returningViewer(request, auth));
  const viewerId = principal?.viewer?.viewerId ?? auth.viewerTokens.verify(viewerToken!)!.viewerId;
  const { sessionId, answerSdp } = await sfu.addViewer(showId, offer);
  sessions.add({ sessionId, showId, viewerId, createdAtMs: Date.now() });
  metrics.whepRequests.inc({ outcome: 'created' });
  return reply
    .code(201)
    .headers({
      location: `/whep/${showId}/sessions/${sessionId}`,
      etag: `"${sessionId}"`,
      ...(viewerToken && { 'x-onair-viewer-token': viewerToken }),
    })
    .type('application/sdp')
    .send(answerSdp);
}
