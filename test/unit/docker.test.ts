import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { ROOT_DIR } from '../../lib/paths.js';

// No Docker engine runs here: validate what can be validated without one.
const dockerfile = readFileSync(path.join(ROOT_DIR, 'docker/Dockerfile'), 'utf8');

test('the Dockerfile is multi-stage, runs as non-root and copies only paths that exist', () => {
  assert.equal([...dockerfile.matchAll(/^FROM /gm)].length, 2);
  assert.match(dockerfile, /^USER node$/m);
  for (const [, source] of dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm)) {
    for (const item of source!.split(' ')) assert.ok(existsSync(path.join(ROOT_DIR, item)), `COPY source ${item} exists`);
  }
  assert.match(dockerfile, /CMD \["node", "dist\/server\/main\.js"\]/);
  const build = JSON.parse(readFileSync(path.join(ROOT_DIR, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
  assert.ok(build.include.includes('server'));
});

test('docker compose refuses to start without REDIS_PASSWORD', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST_TOKEN: 'compose-host-token-0123', PRODUCER_TOKEN: 'compose-producer-token-0123' };
  delete env.REDIS_PASSWORD;
  await assert.rejects(promisify(execFile)('docker-compose', ['-f', 'docker/compose.yaml', 'config'], { cwd: ROOT_DIR, env }), /REDIS_PASSWORD/);
});

test('docker compose config accepts the compose file', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOST_TOKEN: 'compose-host-token-0123', PRODUCER_TOKEN: 'compose-producer-token-0123', REDIS_PASSWORD: 'composeRedisPassword0123' };
  const { stdout } = await promisify(execFile)('docker-compose', ['-f', 'docker/compose.yaml', 'config'], { cwd: ROOT_DIR, env });
  // Issue 16: Redis answers only with the password from the environment, and every client sends it.
  assert.equal([...stdout.matchAll(/REDIS_URL: redis:\/\/:composeRedisPassword0123@127\.0\.0\.1:6379/g)].length, 2, 'server and worker use the password');
  assert.match(stdout, /requirepass %s/);
  assert.match(stdout, /REDISCLI_AUTH=/, 'the health check authenticates');
  assert.match(stdout, /network_mode: host/);
  assert.match(stdout, /dist\/pipeline\/jobs\/workerMain\.js/, 'a batch worker service');
  assert.match(stdout, /--appendonly yes/, 'Redis keeps queued jobs across restarts');
});

// Issue 16: Node 20 reached end of life (April 2026) and werift 0.25 declares Node >= 22.
test('the image runs Node 24, package.json requires Node >= 22, and archived fluent-ffmpeg stays behind one module', async () => {
  assert.deepEqual([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]), ['node:24-bookworm-slim', 'node:24-bookworm-slim']);
  const pkg = JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(pkg.engines.node, '>=22');
  const { stdout } = await promisify(execFile)('grep', ['-rlE', "from 'fluent-ffmpeg'", 'lib', 'renderer', 'pipeline', 'server', 'bench', 'scripts'], { cwd: ROOT_DIR });
  assert.deepEqual(stdout.trim().split('\n'), ['pipeline/encode/Mp4ClipWriter.ts'], 'see docs/security.md, "Runtime"');
});
