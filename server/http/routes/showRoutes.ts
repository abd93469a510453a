import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../../lib/errors/CodedError.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { Cluster } from '../../cluster/Cluster.js';
import type { ShowInfo } from '../../shows/Show.js';
import type { ShowManager } from '../../shows/ShowManager.js';
import { callerOf } from '../clusterForwarding.js';

const createShowSchema = {
  body: {
    type: 'object',
    additionalProperties: false,
    properties: {
      title: { type: 'string', minLength: 1, maxLength: 120, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
      persona: { type: 'string', maxLength: 40 },
      testCard: { type: 'boolean' },
    },
  },
} as const;

export function registerShowRoutes(app: FastifyInstance, shows: ShowManager, auth: Authenticator, cluster: Cluster): void {
  app.post<{ Body: { title?: string; persona?: string; testCard?: boolean } | undefined }>('/api/shows', { onRequest: auth.only('host'), schema: createShowSchema, bodyLimit: 4096 }, async (request, reply) => {
    const { title = 'OnAir show', persona, testCard } = request.body ?? {};
    const show = await shows.create({ title, persona, testCard });
    return reply.code(201).send(show.info());
  });

  app.get('/api/shows', { onRequest: auth.only('host', 'producer') }, async (request) => {
    const here = shows.list().map((show) => show.info());
    // Another node asking for this node's part of the list.
    if (callerOf(request)) return { shows: here };
    const credentials = { authorization: request.headers.authorization ?? '' };
    const there = await cluster.fromOtherNodes<{ shows: ShowInfo[] }>('GET', '/api/shows', credentials);
    return { shows: [...here, ...there.flatMap((answer) => answer.shows)] };
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id', { onRequest: auth.only('host', 'producer') }, async (request) => {
    const live = shows.live(request.params.id);
    if (live) return live.info();
    const record = await shows.record(request.params.id);
    if (!record) throw new CodedError('SHOW_NOT_FOUND', `show ${request.params.id} not found`);
    return record;
  });

  app.delete<{ Params: { id: string } }>('/api/shows/:id', { onRequest: auth.only('host') }, async (request) => shows.end(request.params.id));

  /** Anonymous join: a viewer gets a signed token bound to this show. */
  app.post<{ Params: { id: string } }>('/api/shows/:id/viewers', { bodyLimit: 1024 }, async (request, reply) => {
    await shows.requireLive(request.params.id);
    const token = auth.issueViewerToken(request, request.params.id);
    const claims = auth.viewerTokens.verify(token)!;
    return reply.code(201).send({ viewerId: claims.viewerId, token, expiresAt: new Date(claims.expiresAtMs).toISOString() });
  });
}
