import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { OnAir } from '../../server/OnAir.js';
import { privateRedis, waitUntil, type PrivateRedis } from '../helpers/batch.js';
import { hostAuth, isolatedBatchEnv, startOnAir } from '../helpers/startOnAir.js';

let redis: PrivateRedis | undefined;
const nodes: OnAir[] = [];

after(async () => {
  await Promise.all(nodes.map((node) => node.close()));
  await redis?.stop();
});

// Issue 11: "Redis restarts: nodes reconnect, and nothing that was persisted is lost."
test('Redis restarts under a two-node cluster: the nodes find each other again, the show stays where it was, with one copy', async () => {
  redis = await privateRedis();
  const env = { ...isolatedBatchEnv(), REDIS_URL: redis.url, DEMO_SHOW: 'false', HLS: 'false' };
  const [a, b] = [await startOnAir({ ...env, NODE_ID: 'node-a' }), await startOnAir({ ...env, NODE_ID: 'node-b' })];
  nodes.push(a, b);
  await waitUntil(() => a.cluster.nodes().length === 2 && b.cluster.nodes().length === 2, 5_000, 'both nodes see each other');
  const show = await a.shows.create({ title: 'through a Redis restart', testCard: true });
  const topic = await fetch(`${b.url}/api/shows/${show.id}/topic`, { method: 'PUT', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'persisted' }) });
  assert.equal(topic.status, 200);

  await redis.stop();
  // Longer than a registration lives: every node's key has expired when Redis comes back.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await redis.start();

  await waitUntil(() => a.cluster.nodes().length === 2 && b.cluster.nodes().length === 2, 10_000, 'both nodes registered again');
  const info = await waitUntil(async () => {
    const response = await fetch(`${b.url}/api/shows/${show.id}`, { headers: hostAuth });
    return response.status === 200 && ((await response.json()) as { node: string; state: string });
  }, 10_000, 'the show answers through node b');
  assert.equal(info.node, 'node-a', 'no failover: node a never left');
  assert.equal(info.state, 'live');
  // Nothing was taken over in the meantime, then or a little later.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  assert.ok(a.shows.live(show.id));
  assert.equal(b.shows.live(show.id), undefined);
  const audience = (await (await fetch(`${b.url}/api/shows/${show.id}/audience`, { headers: hostAuth })).json()) as { topic?: string };
  assert.equal(audience.topic, 'persisted');
});
