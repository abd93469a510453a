import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { VideoEncoderChoice } from '../../../pipeline/encode/selectVideoEncoder.js';
import type { Metrics } from '../../metrics.js';
import type { Sfu } from '../../sfu/Sfu.js';

export interface HealthDeps {
  redis: Redis;
  sfu: Sfu;
  encoderChoice: VideoEncoderChoice;
  metrics: Metrics;
}

export function registerHealthRoutes(app: FastifyInstance, { redis, sfu, encoderChoice, metrics }: HealthDeps): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const redisOk = await redis
      .ping()
      .then((r) => r === 'PONG')
      .catch(() => false);
    const stats = sfu.stats();
    const ready = redisOk && !sfu.closed;
    return reply.code(ready ? 200 : 503).send({
      ready,
      redis: { ok: redisOk, status: redis.status },
      encoder: { name: encoderChoice.name, codec: encoderChoice.codec, hardware: encoderChoice.hardware, reason: encoderChoice.reason },
      sfu: { backend: sfu.backend, ok: !sfu.closed, shards: stats.shards.length, viewers: stats.viewers, ingests: stats.ingests.length },
    });
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
