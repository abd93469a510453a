import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Server, Socket } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { EventName, ShowAudience } from '../audience/ShowAudience.js';
import type { ViewerClaims, ViewerTokens } from '../auth/tokens.js';
import { TokenBucket } from '../shows/chat/TokenBucket.js';
import type { Show } from '../shows/Show.js';
import type { ShowManager } from '../shows/ShowManager.js';
import { VIEWER_EVENTS } from '../viewers/viewerEvents.js';
import { handle, refuseUnknownEvents } from './socketActions.js';

/** Per viewer: bursts of 20 events, 10 a second sustained (a heartbeat is one every 5 s). */
const EVENTS_BURST = 20;
const EVENTS_PER_SECOND = 10;
const AUDIENCE_EVENTS = VIEWER_EVENTS.filter((e): e is EventName => e !== 'join' && e !== 'chat');

/**
 * The `/viewer` socket.io namespace. A viewer connects with the signed token it got on
 * joining the show, says who it is (join context, consent), and its events — watching,
 * pausing, muting, voting, CTA impressions, clicks and dismissals, chat — drive the overlays
 * chosen for it alone. Everything is schema-checked and rate-limited per viewer.
 */
export function registerViewerNamespace(io: Server, shows: ShowManager, tokens: ViewerTokens, log: FastifyBaseLogger): Namespace {
  const viewers = io.of('/viewer');
  const wired = new WeakSet<object>();
  viewers.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const claims = typeof token === 'string' ? tokens.verify(token) : undefined;
    if (!claims) return next(Object.assign(new Error('AUTH_INVALID: a viewer token is required'), { data: { code: 'AUTH_INVALID' } }));
    if (!shows.live(claims.showId) || !shows.audience(claims.showId)) return next(Object.assign(new Error('SHOW_NOT_FOUND: the show is not live'), { data: { code: 'SHOW_NOT_FOUND' } }));
    socket.data.claims = claims;
    next();
  });
  const limiter = new TokenBucket(EVENTS_BURST, EVENTS_PER_SECOND);
  viewers.on('connection', (socket) => {
    const { viewerId, showId } = socket.data.claims as ViewerClaims;
    const show = shows.live(showId)!;
    const audience = shows.audience(showId)!;
    if (!wired.has(audience)) wireShow(viewers, show, audience, wired);
    void socket.join([`show:${showId}`, viewerRoom(viewerId)]);
    audience.connect(viewerId, (event, payload) => socket.emit(event, payload));
    socket.on('disconnect', () => audience.disconnect(viewerId));
    refuseUnknownEvents(socket, VIEWER_EVENTS);
    const limited = (action: (payload: Record<string, unknown>) => Promise<unknown>) => (payload: Record<string, unknown>) => {
      // Keyed by viewer, not socket: a viewer's sockets (tabs, reconnects) share one budget.
      if (!limiter.take(viewerId)) return Promise.reject(new CodedError('RATE_LIMITED', 'too many events; slow down'));
      return action(payload);
    };
    // streamEpochMs: the wall clock of stream time 0, which HLS program date times count from.
    handle(socket, 'join', limited(async (payload) => ({ ...(await audience.join(viewerId, payload, userAgentOf(socket))), clock: show.clockSync ?? null, streamEpochMs: show.lane.startedAtEpochMs })), log);
    handle(socket, 'chat', limited(async ({ text }) => {
      const chat = shows.chat(showId);
      if (!chat) throw new CodedError('SHOW_NOT_FOUND', 'this show has no chat');
      const line = await chat.post({ viewerId, ...audience.profileOf(viewerId) }, text);
      void audience.chatted(viewerId);
      return { id: line.id, intent: line.intent, question: line.question };
    }), log);
    for (const event of AUDIENCE_EVENTS) handle(socket, event, limited((payload) => audience.event(viewerId, event, payload)), log);
  });
  return viewers;
}

const viewerRoom = (viewerId: string) => `viewer:${viewerId}`;

/** Tells a viewer's pages that the SFU closed one of its sessions, so they reconnect at once. */
export function notifySessionClosed(viewers: Namespace, viewerId: string, sessionId: string): void {
  viewers.to(viewerRoom(viewerId)).emit('session_closed', { sessionId });
}

/** What goes to every viewer of a show: shared overlays, polls, and the stream clock. */
function wireShow(viewers: Namespace, show: Show, audience: ShowAudience, wired: WeakSet<object>): void {
  wired.add(audience);
  const room = viewers.to(`show:${show.id}`);
  audience.on('broadcast', (event, payload) => room.emit(event, payload));
  show.on('clocksync', (sync) => room.emit('clock', sync));
}

function userAgentOf(socket: Socket): string | undefined {
  const agent = socket.handshake.headers['user-agent'];
  return typeof agent === 'string' ? agent.slice(0, 512) : undefined;
}
