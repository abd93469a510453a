import type { Namespace, Server } from 'socket.io';
import type { ViewerClaims, ViewerTokens } from '../auth/tokens.js';
import type { ShowManager } from '../shows/ShowManager.js';
import { handle, refuseUnknownEvents } from './socketActions.js';

const EVENTS = ['join', 'chat'] as const;
const DISPLAY_NAME = /^[\p{L}\p{N} ._'-]{1,40}$/u;

/**
 * The `/viewer` socket.io namespace. A viewer connects with the signed token it got on
 * joining the show, says who it is (a display name only counts with consent), and chats.
 */
export function registerViewerNamespace(io: Server, shows: ShowManager, tokens: ViewerTokens): Namespace {
  const viewers = io.of('/viewer');
  viewers.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    const claims = typeof token === 'string' ? tokens.verify(token) : undefined;
    if (!claims) return next(Object.assign(new Error('AUTH_INVALID: a viewer token is required'), { data: { code: 'AUTH_INVALID' } }));
    if (!shows.live(claims.showId)) return next(Object.assign(new Error('SHOW_NOT_FOUND: the show is not live'), { data: { code: 'SHOW_NOT_FOUND' } }));
    socket.data.claims = claims;
    next();
  });
  viewers.on('connection', (socket) => {
    const { viewerId, showId } = socket.data.claims as ViewerClaims;
    const profile: { viewerId: string; displayName?: string; consented: boolean } = { viewerId, consented: false };
    void socket.join(`show:${showId}`);
    refuseUnknownEvents(socket, EVENTS);
    handle(socket, 'join', async ({ displayName, consent }) => {
      if (consent !== undefined && typeof consent !== 'boolean') throw Object.assign(new Error('consent must be true or false'), { code: 'INVALID_REQUEST' });
      if (displayName !== undefined && (typeof displayName !== 'string' || !DISPLAY_NAME.test(displayName))) {
        throw Object.assign(new Error('displayName must be 1-40 letters, digits or spaces'), { code: 'INVALID_REQUEST' });
      }
      profile.consented = consent ?? false;
      if (displayName !== undefined) profile.displayName = displayName;
      return { viewerId, consented: profile.consented };
    });
    handle(socket, 'chat', async ({ text }) => {
      const chat = shows.chat(showId);
      if (!chat) throw Object.assign(new Error('this show has no chat'), { code: 'SHOW_NOT_FOUND' });
      const line = await chat.post(profile, text);
      return { id: line.id, intent: line.intent, question: line.question };
    });
  });
  return viewers;
}
