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

test('docker compose config accepts the compose file', async () => {
  const { stdout } = await promisify(execFile)('docker-compose', ['-f', 'docker/compose.yaml', 'config'], {
    cwd: ROOT_DIR,
    env: { ...process.env, HOST_TOKEN: 'compose-host-token-0123', PRODUCER_TOKEN: 'compose-producer-token-0123' },
  });
  assert.match(stdout, /redis:\/\/127\.0\.0\.1:6379/);
  assert.match(stdout, /network_mode: host/);
  assert.match(stdout, /dist\/pipeline\/jobs\/workerMain\.js/, 'a batch worker service');
  assert.match(stdout, /--appendonly\s*- "yes"/, 'Redis keeps queued jobs across restarts');
});
