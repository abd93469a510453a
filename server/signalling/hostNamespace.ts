import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Server } from 'socket.io';
import type { ShowManager } from '../shows/ShowManager.js';
import { checkShowId, HOST_EVENTS, HostActions } from './hostActions.js';
import { requireToken } from './requireToken.js';
import { handle, refuseUnknownEvents } from './socketActions.js';
import type { SocketRelay } from './socketRelay.js';
import { showRoom } from './viewerActions.js';

export { checkShowId, HOST_EVENTS } from './hostActions.js';

/**
 * The `/host` socket.io namespace: the same cue controls as the REST API, plus live cue
 * status pushed to every host watching a show (room `show:<id>`). A host socket on any node
 * works for a show on any node: `watch` joins the room here, and the events run on the
 * show's origin (relayed when that is another node), whose emits reach the room through
 * the socket.io Redis adapter.
 */
export function registerHostNamespace(io: Server, shows: ShowManager, hostToken: string, log: FastifyBaseLogger, relay: SocketRelay): Namespace {
  const host = io.of('/host');
  host.use(requireToken(hostToken, 'host'));
  const actions = new HostActions(host, shows);
  relay.hosts = actions;
  host.on('connection', (socket) => {
    refuseUnknownEvents(socket, HOST_EVENTS);
    for (const event of HOST_EVENTS) {
      handle(
        socket,
        event,
        async (payload) => {
          const showId = checkShowId(payload.showId);
          const run = async () => {
            const origin = await relay.locate(showId);
            return typeof origin === 'string' ? actions.run(event, payload) : relay.host(origin, showId, { event, payload: JSON.stringify(payload) });
          };
          if (event !== 'watch') return run();
          // Joined before the origin wires the show, so no cue status falls between; left again if the watch fails.
          const room = showRoom(showId);
          const already = socket.rooms.has(room);
          await socket.join(room);
          try {
            return await run();
          } catch (error) {
            if (!already) await socket.leave(room);
            throw error;
          }
        },
        log,
      );
    }
  });
  return host;
}
