import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Server } from 'socket.io';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { ShowManager } from '../shows/ShowManager.js';
import { requireToken } from './requireToken.js';
import { handle, refuseUnknownEvents } from './socketActions.js';

const SHOW_ID = /^[a-z0-9]{6,32}$/;
export const HOST_EVENTS = ['watch', 'cue', 'interrupt', 'persona'] as const;

/**
 * The `/host` socket.io namespace: the same cue controls as the REST API, plus live cue
 * status pushed to every host watching a show (room `show:<id>`).
 */
export function registerHostNamespace(io: Server, shows: ShowManager, hostToken: string, log: FastifyBaseLogger): Namespace {
  const host = io.of('/host');
  host.use(requireToken(hostToken, 'host'));
  const watched = new WeakSet<object>();
  host.on('connection', (socket) => {
    refuseUnknownEvents(socket, HOST_EVENTS);
    handle(socket, 'watch', async ({ showId }) => {
      const show = await shows.requireLive(checkShowId(showId));
      await socket.join(`show:${show.id}`);
      if (show.cues && !watched.has(show.cues)) {
        watched.add(show.cues);
        show.cues.on('status', (cue) => host.to(`show:${show.id}`).emit('cue', cue));
        shows.chat(show.id)?.on('line', (line) => host.to(`show:${show.id}`).emit('chat', line));
      }
      const audience = shows.audience(show.id);
      if (audience && !watched.has(audience)) {
        watched.add(audience);
        audience.on('host', (event, payload) => host.to(`show:${show.id}`).emit(event, payload));
      }
      const poll = audience?.polls.open?.view() ?? audience?.polls.list().at(-1);
      return { cues: show.cues?.list() ?? [], chat: shows.chat(show.id)?.list() ?? [], ...(poll && { poll }) };
    }, log);
    handle(socket, 'cue', async ({ showId, text, persona }) => {
      const show = await shows.requireLive(checkShowId(showId));
      if (!show.cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show takes no cues');
      if (persona !== undefined && typeof persona !== 'string') throw new CodedError('INVALID_REQUEST', 'persona must be a string');
      return show.cues.submit(text, persona as string | undefined);
    }, log);
    handle(socket, 'interrupt', async ({ showId }) => ({ interrupted: (await shows.requireLive(checkShowId(showId))).cues?.interrupt() ?? [] }), log);
    handle(socket, 'persona', async ({ showId, persona }) => {
      const show = await shows.requireLive(checkShowId(showId));
      if (!show.cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'this show takes no cues');
      if (typeof persona !== 'string') throw new CodedError('INVALID_REQUEST', 'persona must be a string');
      return { persona: show.cues.setPersona(persona).id };
    }, log);
  });
  return host;
}

export function checkShowId(showId: unknown): string {
  if (typeof showId !== 'string' || !SHOW_ID.test(showId)) {
    throw new CodedError('INVALID_REQUEST', 'showId must be a show id');
  }
  return showId;
}
