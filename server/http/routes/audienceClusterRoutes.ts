import type { FastifyInstance } from 'fastify';
import type { Audience } from '../../audience/Audience.js';
import { clusterOnly } from '../clusterForwarding.js';

export const ctaMomentPath = (showId: string) => `/internal/cluster/shows/${showId}/cta-moment`;

const SHOW_PARAMS = { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9]{6,32}$' } } } as const;

/**
 * Node-to-node: the host's CTA moment for the viewers this node holds of a show another node
 * runs (the origin asks every node and adds up the answers). Signed calls only.
 */
export function registerAudienceClusterRoutes(app: FastifyInstance, audience: Audience): void {
  app.post<{ Params: { id: string } }>(ctaMomentPath(':id'), { onRequest: clusterOnly, schema: { params: SHOW_PARAMS } }, async (request) => audience.ctaMomentHere(request.params.id));
}
