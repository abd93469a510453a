import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { Cluster } from '../../cluster/Cluster.js';
import { pipePath, type ShowPipes } from '../../cluster/ShowPipes.js';
import type { PipeEndpoint } from '../../sfu/Sfu.js';
import type { ShowManager } from '../../shows/ShowManager.js';
import { callerOf, clusterOnly } from '../clusterForwarding.js';

/** `GET /api/cluster` (host): every live node, its load and the shows it runs. */
export function registerClusterRoutes(app: FastifyInstance, cluster: Cluster, auth: Authenticator): void {
  app.get('/api/cluster', { onRequest: auth.only('host') }, async () => {
    const placed = await cluster.directory.all();
    const showsOf = (nodeId: string) => [...placed].filter(([, node]) => node === nodeId).map(([showId]) => showId);
    const nodes = cluster.nodes().map((node) => (node.nodeId === cluster.nodeId ? cluster.self() : node));
    return {
      nodeId: cluster.nodeId,
      nodes: nodes.map((node) => ({ ...node, self: node.nodeId === cluster.nodeId, shows: showsOf(node.nodeId) })),
      // Registrations in the node set that are not signed with this cluster's secret: never used.
      forged: cluster.forged,
    };
  });
}

const pipeSchema = {
  params: { type: 'object', properties: { id: { type: 'string', pattern: '^[a-z0-9]{6,32}$' } }, required: ['id'] },
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['endpoint'],
    properties: {
      endpoint: {
        type: 'object',
        additionalProperties: false,
        required: ['ip', 'port'],
        properties: {
          ip: { type: 'string', maxLength: 64 },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          srtpParameters: {
            type: 'object',
            additionalProperties: false,
            required: ['cryptoSuite', 'keyBase64'],
            properties: { cryptoSuite: { type: 'string', maxLength: 40 }, keyBase64: { type: 'string', maxLength: 128 } },
          },
        },
      },
    },
  },
} as const;

/** Node-to-node routes: only calls signed with the cluster secret reach them (`clusterOnly`). */
export function registerClusterInternalRoutes(app: FastifyInstance, shows: ShowManager, pipes: ShowPipes): void {
  app.post<{ Params: { id: string }; Body: { endpoint: PipeEndpoint } }>(pipePath(':id'), { onRequest: clusterOnly, schema: pipeSchema, bodyLimit: 4096 }, async (request) => {
    const show = await shows.requireLive(request.params.id);
    return pipes.export(show.id, callerOf(request)!, request.body.endpoint);
  });
}
