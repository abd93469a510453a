import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Server, Socket } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { ViewerClaims, ViewerTokens } from '../auth/tokens.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { NodeInfo } from '../cluster/NodeInfo.js';
import { statusOf } from '../http/errorStatus.js';
import type { ShowManager } from '../shows/ShowManager.js';
import { VIEWER_EVENTS } from '../viewers/viewerEvents.js';
import { handle, refuseUnknownEvents } from './socketActions.js';
import type { SocketRelay } from './socketRelay.js';
import { showRoom, ViewerActions } from './viewerActions.js';

/**
 * The `/viewer` socket.io namespace. A viewer connects with the signed token it got on
 * joining the show, says who it is (join context, consent), and its events — watching,
 * pausing, muting, voting, CTA impressions, clicks and dismissals, chat — drive the overlays
 * chosen for it alone. Everything is schema-checked and rate-limited per viewer.
 *
 * Any node takes a viewer of any show, and decides for it here. For a show that runs on
 * another node (its origin), this node follows the show-wide state the origin publishes
 * (Audience.follow) while it holds sockets of its viewers; the socket joins the show's room
 * here, which the origin's broadcasts reach through the adapter. Only chat lines go to the
 * origin (SocketRelay).
 */
export function registerViewerNamespace(io: Server, shows: ShowManager, tokens: ViewerTokens, log: FastifyBaseLogger, relay: SocketRelay): Namespace {
  const viewers = io.of('/viewer');
  const actions = new ViewerActions(viewers, shows, async (showId, call) => {
    const origin = await relay.locate(showId);
    if (typeof origin === 'string') throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    return relay.viewer(origin, showId, call);
  });
  relay.viewers = actions;
  viewers.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const claims = typeof token === 'string' ? tokens.verify(token) : undefined;
    if (!claims) return next(refusal('AUTH_INVALID', 'a viewer token is required'));
    socket.data.claims = claims;
    if (shows.live(claims.showId) && shows.audience(claims.showId)) return next();
    // Another node's show: this node follows its state (read from Redis, no call to the origin) before the socket opens.
    void (async () => {
      const origin = await relay.locate(claims.showId);
      if (typeof origin === 'string') throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
      const followed = await shows.followAudience(claims.showId);
      // Released once, when the socket or its transport closes (a transport can close before the socket is connected).
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        shows.unfollowAudience(claims.showId, followed);
      };
      socket.conn.once('close', release);
      socket.data.release = release;
      socket.data.followed = followed;
      socket.data.origin = origin;
    })().then(
      () => next(),
      (error: unknown) => next(refusalOf(error, log)),
    );
  });
  viewers.on('connection', (socket) => {
    const { viewerId, showId } = socket.data.claims as ViewerClaims;
    const origin = socket.data.origin as NodeInfo | undefined;
    const release = socket.data.release as (() => void) | undefined;
    void socket.join([showRoom(showId), viewerRoom(viewerId)]);
    refuseUnknownEvents(socket, VIEWER_EVENTS);
    const userAgent = userAgentOf(socket);
    const send = (event: string, payload: unknown) => socket.emit(event, payload);
    try {
      if (origin) actions.connectFollowed(showId, socket.data.followed as ShowAudience, viewerId, socket.id, send);
      else actions.connect(showId, viewerId, socket.id, send);
    } catch {
      release?.();
      return void socket.disconnect(true); // the show ended since the handshake
    }
    // The origin left: close the transport so the page reconnects, and finds the show where it is now.
    const cancel = origin ? relay.whenLost(origin, () => socket.conn.close()) : () => undefined;
    socket.on('disconnect', () => {
      cancel();
      actions.disconnect(showId, viewerId, socket.id);
      release?.();
    });
    for (const event of VIEWER_EVENTS) handle(socket, event, (payload) => actions.run(showId, viewerId, event, payload, userAgent), log);
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
