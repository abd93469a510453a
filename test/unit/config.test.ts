import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../server/config.js';

test('defaults: port 8080, 360p30 H264, loopback ICE, generated tokens', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.deepEqual(config.resolution, { width: 640, height: 360 });
  assert.equal(config.fps, 30);
  assert.equal(config.videoCodec, 'H264');
  assert.deepEqual(config.sfu.announcedAddresses, ['127.0.0.1']);
  assert.equal(config.hostTokenGenerated, true);
  assert.ok(config.hostToken.length >= 16);
  assert.notEqual(config.hostToken, config.producerToken);
});

test('each invalid variable fails naming the variable', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ HOST_TOKEN: 'short' }, 'HOST_TOKEN'],
    [{ VIDEO_CODEC: 'AV1' }, 'VIDEO_CODEC'],
    [{ RESOLUTION: '4k' }, 'RESOLUTION'],
    [{ FPS: '29.97' }, 'FPS'],
    [{ DEMO_SHOW: 'maybe' }, 'DEMO_SHOW'],
    [{ ICE_ANNOUNCED_ADDRESSES: 'example.com' }, 'ICE_ANNOUNCED_ADDRESSES'],
    [{ HOST_TOKEN: 'Qm7vX2pL9sKd4TzR8wYb1NcF5hJe3GaU', PRODUCER_TOKEN: 'Qm7vX2pL9sKd4TzR8wYb1NcF5hJe3GaU' }, 'PRODUCER_TOKEN'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => error instanceof ConfigError && error.variable === variable && error.message.startsWith(variable),
      JSON.stringify(env),
    );
  }
});

test('720p and VP8 are configurable', () => {
  const config = loadConfig({ RESOLUTION: '720p', VIDEO_CODEC: 'VP8', PORT: '9000' });
  assert.deepEqual(config.resolution, { width: 1280, height: 720 });
  assert.equal(config.videoCodec, 'VP8');
  assert.equal(config.port, 9000);
});

test('with NODE_ENV=production there is no fallback to a local Redis: REDIS_URL is required', () => {
  // Issue 16: production would otherwise use whatever answers on 127.0.0.1:6379, without a password.
  assert.throws(() => loadConfig({ NODE_ENV: 'production' }), (error: unknown) => error instanceof ConfigError && error.variable === 'REDIS_URL' && /NODE_ENV=production/.test(error.message));
  assert.equal(loadConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://:pw@redis.internal:6379' }).redisUrl, 'redis://:pw@redis.internal:6379');
  assert.equal(loadConfig({}).redisUrl, undefined, 'development keeps the local and embedded fallbacks');
});
