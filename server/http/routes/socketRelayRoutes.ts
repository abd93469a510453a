import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { HOST_EVENTS } from '../../signalling/hostActions.js';
import { hostEventsPath, viewerEventsPath, type RelayedHostCall, type SocketRelay } from '../../signalling/socketRelay.js';
import { relayedPayload, type RelayedViewerCall } from '../../signalling/viewerActions.js';
import { clusterOnly } from '../clusterForwarding.js';

const SHOW_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9]{6,32}$' } } } as const;
/** A socket.io message is at most 16 KiB; its payload travels as JSON text. */
const PAYLOAD = { type: 'string', maxLength: 32 * 1024 } as const;

const viewerSchema = {
  params: SHOW_PARAMS,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['viewerId', 'connectionId', 'event'],
    properties: {
      viewerId: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
      connectionId: { type: 'string', minLength: 1, maxLength: 64 },
      // Only chat: every other viewer event is decided on the node that holds the viewer's socket.
      event: { type: 'string', enum: ['chat'] },
      payload: PAYLOAD,
      userAgent: { type: 'string', maxLength: 512 },
      profile: {
        type: 'object',
        additionalProperties: false,
        required: ['consented'],
        properties: { consented: { type: 'boolean' }, displayName: { type: 'string', maxLength: 64 } },
      },
    },
  },
} as const;

const hostSchema = {
  params: SHOW_PARAMS,
  body: { type: 'object', additionalProperties: false, required: ['event', 'payload'], properties: { event: { type: 'string', enum: [...HOST_EVENTS] }, payload: PAYLOAD } },
} as const;

/**
 * Node-to-node: viewers' chat lines and host sockets' events that another node holds, for a
 * show that runs here (see SocketRelay). Only calls signed with the cluster secret get through
 * (`clusterOnly`); the caller checked the socket's credentials, and the payload is checked
 * here as for a socket of this node. Answers `{result}`, or the action's error.
 */
export function registerSocketRelayRoutes(app: FastifyInstance, relay: SocketRelay): void {
  app.post<{ Params: { id: string }; Body: RelayedViewerCall }>(viewerEventsPath(':id'), { onRequest: clusterOnly, schema: viewerSchema }, async (request) => {
    if (!relay.viewers) throw new CodedError('SHOW_NOT_FOUND', 'this node takes no viewers');
    return { result: (await relay.viewers.relayed(request.params.id, request.body)) ?? null };
  });
  app.post<{ Params: { id: string }; Body: RelayedHostCall }>(hostEventsPath(':id'), { onRequest: clusterOnly, schema: hostSchema }, async (request) => {
    if (!relay.hosts) throw new CodedError('SHOW_NOT_FOUND', 'this node takes no hosts');
    const payload = relayedPayload(request.body.payload);
    if (payload.showId !== request.params.id) throw new CodedError('INVALID_REQUEST', 'the payload names another show');
    return { result: (await relay.hosts.run(request.body.event, payload)) ?? null };
  });
}
