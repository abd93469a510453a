import type { Redis } from 'ioredis';
import type { Config } from '../config.js';

/**
 * Nodes started on one Redis with no tokens set must still accept each other's: a host token
 * works on every node, a viewer token minted on one plays on another, and node calls verify.
 * So a secret this process generated (nothing was configured) is offered to the cluster once
 * (HSETNX) and whatever the cluster already holds wins. Configured secrets are never written
 * to Redis. Redis is trusted with these as it is with every session: see docs/cluster.md.
 */
export async function adoptClusterSecrets(redis: Redis, config: Config, generatedClusterSecret: string): Promise<Config> {
  const key = `${config.cluster.prefix}:secrets`;
  const offered: Record<string, string> = {};
  if (config.hostTokenGenerated) offered.hostToken = config.hostToken;
  if (config.producerTokenGenerated) offered.producerToken = config.producerToken;
  if (config.viewerTokenSecretGenerated) offered.viewerTokenSecret = config.viewerTokenSecret;
  if (!config.cluster.secret) offered.clusterSecret = generatedClusterSecret;
  const names = Object.keys(offered);
  if (names.length === 0) return config;
  const multi = redis.multi();
  for (const name of names) multi.hsetnx(key, name, offered[name]!);
  multi.hmget(key, ...names);
  const results = await multi.exec();
  const held = (results?.at(-1)?.[1] ?? []) as (string | null)[];
  const value = (name: string) => held[names.indexOf(name)] ?? offered[name]!;
  return {
    ...config,
    ...(config.hostTokenGenerated && { hostToken: value('hostToken') }),
    ...(config.producerTokenGenerated && { producerToken: value('producerToken') }),
    ...(config.viewerTokenSecretGenerated && { viewerTokenSecret: value('viewerTokenSecret') }),
    cluster: { ...config.cluster, secret: config.cluster.secret ?? value('clusterSecret') },
  };
}
