import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { InvalidJobError } from '../../pipeline/jobs/errors.js';
import { statusOf } from './errorStatus.js';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_REQUEST'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_REQUEST'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_VALIDATION: [400, 'INVALID_REQUEST'],
  // A path with a broken %-escape; it reaches replyWithError through Fastify's `frameworkErrors`.
  FST_ERR_BAD_URL: [400, 'INVALID_REQUEST'],
};

/** Every failure leaves as `{ error: { code, message } }` with a code of the catalogue (errorStatus.ts). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => replyWithError(request, reply, error));
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `no route for ${request.method} ${request.url}` } });
  });
}

/** Sends `error` as the error handler does; for plugins that install an error handler of their own (bull-board). */
export function replyWithError(request: FastifyRequest, reply: FastifyReply, error: Error): FastifyReply {
  const [status, code, headers] = classify(error as FastifyError);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code, message: error.message }, 'request rejected');
  return reply
    .code(status)
    .headers(headers)
    .type('application/json')
    .send({ error: { code, message: status >= 500 ? 'internal error' : error.message } });
}

function classify(error: FastifyError): [number, string, Record<string, string>] {
  if (error instanceof CodedError) return [statusOf(error.code), error.code, retryAfter(error)];
  // InvalidJobError has to stay BullMQ's UnrecoverableError (see there); its codes are catalogued too.
  if (error instanceof InvalidJobError) return [statusOf(error.code), error.code, {}];
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return [known[0], known[1], {}];
  if (error.validation) return [400, 'INVALID_REQUEST', {}];
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return [error.statusCode, 'INVALID_REQUEST', {}];
  return [500, 'INTERNAL', {}];
}

// Apart because FastifyError already fits CodedError's shape: `instanceof` leaves it a FastifyError, without retryAfterS.
function retryAfter(error: CodedError): Record<string, string> {
  return error.retryAfterS === undefined ? {} : { 'retry-after': String(error.retryAfterS) };
}
