import type { FastifyInstance } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { nestsDeeperThan } from '../../lib/jsonDepth.js';
import { replyWithError } from './errorHandler.js';

/** Deeper than any body or socket payload OnAir takes (a show prep is 3), far short of what would overflow a stack. */
export const MAX_BODY_DEPTH = 16;

/**
 * Refuses every JSON body nested deeper than MAX_BODY_DEPTH, after authentication (onRequest)
 * and before validation or a handler: schema validation, payload readers and `String(value)`
 * all recurse, and a 64 KiB body can nest thousands deep. The hook replies itself, so plugins
 * with an error handler of their own (bull-board) answer it the same way.
 */
export function installBodyDepthLimit(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    if (nestsDeeperThan(request.body, MAX_BODY_DEPTH)) return replyWithError(request, reply, tooDeep());
  });
}

export const tooDeep = () => new CodedError('BODY_TOO_DEEP', `objects and arrays may nest at most ${MAX_BODY_DEPTH} deep`);
