import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Server, Socket } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { ViewerClaims, ViewerTokens } from '../auth/tokens.js';
import type { NodeInfo } from '../cluster/NodeInfo.js';
import { statusOf } from '../http/errorStatus.js';
import { TokenBucket } from '../shows/chat/TokenBucket.js';
import type { ShowManager } from '../shows/ShowManager.js';
import { VIEWER_EVENTS, type ViewerEventName } from '../viewers/viewerEvents.js';
import { handle, refuseUnknownEvents } from './socketActions.js';
import type { SocketRelay } from './socketRelay.js';
import { audienceRoom, EVENTS_BURST, EVENTS_PER_SECOND, showRoom, ViewerActions } from './viewerActions.js';

/**
 * The `/viewer` socket.io namespace. A viewer connects with the signed token it got on
 * joining the show, says who it is (join context, consent), and its events — watching,
 * pausing, muting, voting, CTA impressions, clicks and dismissals, chat — drive the overlays
 * chosen for it alone. Everything is schema-checked and rate-limited per viewer.
 *
 * Any node takes a viewer of any show. For a show that runs on another node (its origin),
 * the socket joins its rooms here and its events are relayed to the origin (SocketRelay),
 * which runs them as it does for its own sockets: decisions run on the origin node.
 */
export function registerViewerNamespace(io: Server, shows: ShowManager, tokens: ViewerTokens, log: FastifyBaseLogger, relay: SocketRelay): Namespace {
  const viewers = io.of('/viewer');
  const actions = new ViewerActions(viewers, shows);
  relay.viewers = actions;
  viewers.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const claims = typeof token === 'string' ? tokens.verify(token) : undefined;
    if (!claims) return next(refusal('AUTH_INVALID', 'a viewer token is required'));
    socket.data.claims = claims;
    if (shows.live(claims.showId) && shows.audience(claims.showId)) return next();
    // Another node's show: its origin admits the viewer (and says if the show is gone) before the socket opens.
    void (async () => {
      const origin = await relay.locate(claims.showId);
      if (typeof origin === 'string') throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
      await relay.viewer(origin, claims.showId, { viewerId: claims.viewerId, connectionId: socket.id, event: 'connect' });
      socket.data.origin = origin;
    })().then(
      () => next(),
      (error: unknown) => next(refusalOf(error, log)),
    );
  });
  // Only guards the hop to another node's show; the budget that counts is kept on the origin (ViewerActions).
  const relayLimiter = new TokenBucket(EVENTS_BURST, EVENTS_PER_SECOND);
  viewers.on('connection', (socket) => {
    const { viewerId, showId } = socket.data.claims as ViewerClaims;
    const origin = socket.data.origin as NodeInfo | undefined;
    void socket.join([showRoom(showId), viewerRoom(viewerId), ...(origin ? [audienceRoom(showId, viewerId)] : [])]);
    refuseUnknownEvents(socket, VIEWER_EVENTS);
    const userAgent = userAgentOf(socket);
    let run: (event: ViewerEventName, payload: Record<string, unknown>) => Promise<unknown>;
    if (origin) {
      // The origin left: close the transport so the page reconnects, and finds the show where it is now.
      const cancel = relay.whenLost(origin, () => socket.conn.close());
      socket.on('disconnect', () => {
        cancel();
        relay.viewer(origin, showId, { viewerId, connectionId: socket.id, event: 'disconnect' }).catch(() => undefined);
      });
      run = (event, payload) => {
        if (!relayLimiter.take(viewerId)) return Promise.reject(new CodedError('RATE_LIMITED', 'too many events; slow down'));
        return relay.viewer(origin, showId, { viewerId, connectionId: socket.id, event, payload: JSON.stringify(payload), ...(userAgent && { userAgent }) });
      };
    } else {
      try {
        actions.connect(showId, viewerId, socket.id, (event, payload) => socket.emit(event, payload));
      } catch {
        return void socket.disconnect(true); // the show ended since the handshake
      }
      socket.on('disconnect', () => actions.disconnect(showId, viewerId, socket.id));
      run = (event, payload) => actions.run(showId, viewerId, event, payload, userAgent);
    }
    for (const event of VIEWER_EVENTS) handle(socket, event, (payload) => run(event, payload), log);
  });
  return viewers;
}

const viewerRoom = (viewerId: string) => `viewer:${viewerId}`;

/** Tells a viewer's pages that the SFU closed one of its sessions, so they reconnect at once. */
export function notifySessionClosed(viewers: Namespace, viewerId: string, sessionId: string): void {
  viewers.to(viewerRoom(viewerId)).emit('session_closed', { sessionId });
}

function refusal(code: string, message: string): Error {
  return Object.assign(new Error(`${code}: ${message}`), { data: { code } });
}

/** A handshake refused for a coded reason keeps its code; a fault is logged and leaves as INTERNAL, as over HTTP. */
function refusalOf(error: unknown, log: FastifyBaseLogger): Error {
  const code = error instanceof CodedError ? error.code : 'INTERNAL';
  if (statusOf(code) < 500) return refusal(code, (error as Error).message);
  log.warn({ err: error }, 'a viewer socket for a show on another node was refused');
  return refusal(code, code === 'INTERNAL' ? 'internal error' : 'the node that runs the show cannot take viewers right now; retry');
}

function userAgentOf(socket: Socket): string | undefined {
  const agent = socket.handshake.headers['user-agent'];
  return typeof agent === 'string' ? agent.slice(0, 512) : undefined;
}
