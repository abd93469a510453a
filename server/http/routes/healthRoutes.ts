import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { CodedError } from '../../../lib/errors/CodedError.js';
import type { VideoEncoderChoice } from '../../../pipeline/encode/selectVideoEncoder.js';
import type { Authenticator } from '../../auth/Authenticator.js';
import { safeEqual } from '../../auth/tokens.js';
import type { Metrics } from '../../metrics.js';
import type { Sfu } from '../../sfu/Sfu.js';
import type { ShowManager } from '../../shows/ShowManager.js';

export interface HealthDeps {
  redis: Redis;
  sfu: Sfu;
  encoderChoice: VideoEncoderChoice;
  metrics: Metrics;
  auth: Authenticator;
  /** METRICS_TOKEN: the scraper's bearer token for /metrics (host and producer tokens work too). */
  metricsToken?: string | undefined;
  /** Lists each live show with its metrics label in the full /readyz answer. */
  shows?: ShowManager;
}

/**
 * `/healthz` (public, constant), `/readyz` (public: only whether the server is ready; with a
 * host or producer token: Redis, encoder, SFU and each show's metrics label) and `/metrics`
 * (METRICS_TOKEN, a host or a producer token).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  { redis, sfu, encoderChoice, metrics, auth, metricsToken, shows }: HealthDeps,
): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    // A wrong token is an error (401); no token gets the terse answer.
    const principal = auth.identify(request);
    const redisOk = await redis
      .ping()
      .then((r) => r === 'PONG')
      .catch(() => false);
    const ready = redisOk && !sfu.closed;
    void reply.code(ready ? 200 : 503).header('cache-control', 'no-store');
    if (principal?.role !== 'host' && principal?.role !== 'producer') return reply.send({ ready });
    const stats = sfu.stats();
    return reply.send({
      ready,
      redis: { ok: redisOk, status: redis.status },
      encoder: {
        name: encoderChoice.name,
        codec: encoderChoice.codec,
        hardware: encoderChoice.hardware,
        reason: encoderChoice.reason,
      },
      sfu: {
        backend: sfu.backend,
        ok: !sfu.closed,
        shards: stats.shards.length,
        viewers: stats.viewers,
        ingests: stats.ingests.length,
      },
      ...(shows && {
        shows: shows
          .list()
          .map((show) => ({ id: show.id, metricsLabel: metrics.showLabel(show.id) })),
      }),
    });
  });

  app.get(
    '/metrics',
    { onRequest: async (request) => requireScraper(request, auth, metricsToken) },
    async (_request, reply) =>
      reply
        .type(metrics.registry.contentType)
        .header('cache-control', 'no-store')
        .send(await metrics.registry.metrics()),
  );
}

function requireScraper(
  request: FastifyRequest,
  auth: Authenticator,
  metricsToken: string | undefined,
): void {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer ([^\s]{1,512})$/.exec(header);
  if (match && metricsToken !== undefined && safeEqual(match[1]!, metricsToken)) return;
  if (header === undefined)
    throw new CodedError(
      'AUTH_REQUIRED',
      'GET /metrics needs a bearer token: METRICS_TOKEN, or a host or producer token',
    );
  auth.require(request, 'host', 'producer');
}
