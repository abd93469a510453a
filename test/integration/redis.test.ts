import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import net from 'node:net';
import { connectRedis } from '../../server/redis/connectRedis.js';

test('with no REDIS_URL and nothing answering locally, a private redis-server is started and stopped', async () => {
  const handle = await connectRedis(undefined, 'redis://127.0.0.1:1');
  assert.equal(handle.embedded, true);
  assert.notEqual(handle.url, 'redis://127.0.0.1:6379');
  assert.equal(await handle.client.ping(), 'PONG');
  assert.deepEqual(await handle.client.config('GET', 'save'), ['save', ''], 'persistence is off');
  assert.deepEqual(await handle.client.config('GET', 'appendonly'), ['appendonly', 'no']);
  // Issue 16: the embedded server has a random password, and no command line shows it.
  const password = new URL(handle.url).password;
  assert.ok(password.length >= 32, 'a random password is in the URL the server passes to its clients');
  const { port } = new URL(handle.url);
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (data) => (resolve(data.toString()), socket.destroy()));
    socket.once('error', reject);
  });
  assert.match(reply, /^-NOAUTH/, 'a local client without the password is refused');
  const info = await handle.client.info('server');
  const pid = /process_id:(\d+)/.exec(info)![1];
  assert.ok(!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(password), 'the password is not on the command line');
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
