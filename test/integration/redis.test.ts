import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectRedis } from '../../server/redis/connectRedis.js';

test('with no REDIS_URL and nothing answering locally, a private redis-server is started and stopped', async () => {
  const handle = await connectRedis(undefined, 'redis://127.0.0.1:1');
  assert.equal(handle.embedded, true);
  assert.notEqual(handle.url, 'redis://127.0.0.1:6379');
  assert.equal(await handle.client.ping(), 'PONG');
  assert.deepEqual(await handle.client.config('GET', 'save'), ['save', ''], 'persistence is off');
  assert.deepEqual(await handle.client.config('GET', 'appendonly'), ['appendonly', 'no']);
  const url = handle.url;
  await handle.close();
  const again = await connectRedis(undefined, url).catch(() => undefined);
  assert.ok(again?.embedded !== false, 'the embedded server is gone after close');
  await again?.close();
});

test('an explicit REDIS_URL is used as given', async () => {
  const handle = await connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  assert.equal(handle.embedded, false);
  assert.equal(await handle.client.ping(), 'PONG');
  await handle.close();
});
