import type { FastifyError, FastifyInstance } from 'fastify';
import { InvalidJobError } from '../../pipeline/jobs/errors.js';
import { PersonaNotFoundError } from '../../pipeline/persona/index.js';
import { AssetNameError, AssetNotFoundError } from '../../pipeline/store/errors.js';
import { TtsError } from '../../pipeline/tts/errors.js';
import { SfuError } from '../sfu/errors.js';
import { ApiError } from './ApiError.js';

const FASTIFY_CODES: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'BODY_TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'INVALID_REQUEST'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'INVALID_REQUEST'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'INVALID_JSON'],
  FST_ERR_VALIDATION: [400, 'INVALID_REQUEST'],
};

const SFU_STATUS: Record<string, number> = {
  INVALID_SDP: 400,
  NO_COMMON_CODEC: 400,
  TOO_MANY_MEDIA: 400,
  SHOW_NOT_STREAMING: 409,
  INVALID_STATE: 409,
};

/** Every failure leaves as `{ error: { code, message } }` with a stable code. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const [status, code, headers] = classify(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code, message: error.message }, 'request rejected');
    void reply
      .code(status)
      .headers(headers)
      .type('application/json')
      .send({ error: { code, message: status >= 500 ? 'internal error' : error.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: { code: 'ROUTE_NOT_FOUND', message: `no route for ${request.method} ${request.url}` } });
  });
}

function classify(error: FastifyError): [number, string, Record<string, string>] {
  if (error instanceof ApiError) return [error.statusCode, error.code, error.headers];
  if (error instanceof SfuError) return [SFU_STATUS[error.code] ?? 503, error.code, {}];
  // Bad text, unknown voices and personas are the caller's input, hence 400.
  if (error instanceof TtsError || error instanceof PersonaNotFoundError) return [400, error.code, {}];
  if (error instanceof InvalidJobError || error instanceof AssetNameError) return [400, error.code, {}];
  if (error instanceof AssetNotFoundError) return [404, error.code, {}];
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return [known[0], known[1], {}];
  if (error.validation) return [400, 'INVALID_REQUEST', {}];
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return [error.statusCode, 'INVALID_REQUEST', {}];
  return [500, 'INTERNAL', {}];
}
