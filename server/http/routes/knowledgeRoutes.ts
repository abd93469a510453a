import type { FastifyInstance } from 'fastify';
import { KnowledgeBase, KNOWLEDGE_LIMITS, parseFacts } from '../../../pipeline/knowledge/index.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import type { ShowManager } from '../../shows/ShowManager.js';

/** 200 facts of 300 characters, four bytes each at worst, with room for the JSON around them. */
const BODY_LIMIT = KNOWLEDGE_LIMITS.maxFacts * (KNOWLEDGE_LIMITS.maxFactChars * 4 + 64) + 1024;

/**
 * A show's facts (FAQ, product sheet, schedule): what the presenter answers viewers'
 * questions from (docs/knowledge.md). The body's shape is checked by `parseFacts`, so every
 * refusal has a KNOWLEDGE_* code that names the fact.
 */
export function registerKnowledgeRoutes(app: FastifyInstance, shows: ShowManager, auth: Authenticator): void {
  app.put<{ Params: { id: string }; Body: unknown }>('/api/shows/:id/knowledge', { onRequest: auth.only('host', 'producer'), schema: { body: { type: 'object' } }, bodyLimit: BODY_LIMIT }, async (request) => {
    const show = await shows.requireLive(request.params.id);
    show.knowledge = new KnowledgeBase(parseFacts(request.body));
    return { facts: show.knowledge.facts };
  });

  app.get<{ Params: { id: string } }>('/api/shows/:id/knowledge', { onRequest: auth.only('host', 'producer') }, async (request) => {
    return { facts: (await shows.requireLive(request.params.id)).knowledge.facts };
  });
}
