import type { FastifyInstance } from 'fastify';
import type { SafetyGuard } from '../../../pipeline/safety/SafetyModel.js';
import { validateSafetyInput } from '../../../pipeline/safety/SafetyModel.js';
import type { Authenticator } from '../../auth/Authenticator.js';

/** Hosts and producers test content against the safety classifier before it goes on air. */
export function registerSafetyRoutes(app: FastifyInstance, safety: SafetyGuard, auth: Authenticator): void {
  app.post<{ Body: { text?: unknown; language?: unknown } | null }>('/api/safety/check', { onRequest: auth.only('host', 'producer'), bodyLimit: 16 * 1024 }, async (request) => {
    const body = typeof request.body === 'object' && request.body !== null ? request.body : {};
    const { text, language } = validateSafetyInput(body.text, body.language);
    const { verdict, categories, score } = await safety.check(text, language);
    return { verdict, categories, score };
  });
}
