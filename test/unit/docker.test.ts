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

// Issue 11, "Real networks": the production profile (docker/compose.production.yaml, docs/deploy.md).
const PRODUCTION = ['-f', 'docker/compose.yaml', '-f', 'docker/compose.production.yaml', '--profile', 'production', 'config'];
const productionEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  HOST_TOKEN: 'compose-host-token-0123',
  PRODUCER_TOKEN: 'compose-producer-token-0123',
  REDIS_PASSWORD: 'composeRedisPassword0123',
  CLUSTER_SECRET: 'composeClusterSecret-0123456789abcdef',
  TURN_SECRET: 'composeTurnSecret-0123456789',
  ONAIR_DOMAIN: 'onair.example.com',
  PUBLIC_IP: '203.0.113.7',
});

interface ComposeService {
  profiles?: string[];
  environment?: Record<string, string>;
  command?: string[];
  volumes?: string[];
  network_mode?: string;
  image?: string;
}

/** `docker-compose config` as an object (PyYAML comes with Debian's docker-compose). */
async function composeConfig(args: string[], env: NodeJS.ProcessEnv): Promise<{ services: Record<string, ComposeService> }> {
  const { stdout } = await promisify(execFile)('docker-compose', args, { cwd: ROOT_DIR, env });
  const json = await new Promise<string>((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'], (error, out) => (error ? reject(error) : resolve(out)));
    child.stdin!.end(stdout);
  });
  return JSON.parse(json) as { services: Record<string, ComposeService> };
}

test('the production profile refuses to start without each of its secrets and settings', async () => {
  for (const name of ['CLUSTER_SECRET', 'TURN_SECRET', 'ONAIR_DOMAIN', 'PUBLIC_IP', 'REDIS_PASSWORD', 'HOST_TOKEN', 'PRODUCER_TOKEN']) {
    const env = productionEnv();
    delete env[name];
    await assert.rejects(promisify(execFile)('docker-compose', PRODUCTION, { cwd: ROOT_DIR, env }), new RegExp(`set ${name}`), name);
  }
  // The default profile still needs none of them.
  const env: NodeJS.ProcessEnv = { ...process.env, HOST_TOKEN: 'compose-host-token-0123', PRODUCER_TOKEN: 'compose-producer-token-0123', REDIS_PASSWORD: 'composeRedisPassword0123' };
  for (const name of ['CLUSTER_SECRET', 'TURN_SECRET', 'ONAIR_DOMAIN', 'PUBLIC_IP']) delete env[name];
  const { services } = await composeConfig(['-f', 'docker/compose.yaml', 'config'], env);
  assert.deepEqual(Object.keys(services).sort(), ['redis', 'server', 'worker']);
  assert.equal(services.server!.environment!.ICE_ANNOUNCED_ADDRESSES, '', 'detected at start unless set');
});

test('the production profile: Caddy in front of two cluster nodes, coturn with their TURN secret, Redis with AOF, batch workers', async () => {
  const { services } = await composeConfig(PRODUCTION, productionEnv());
  // What `--profile production` starts: services without a profile, and those of this one.
  const active = Object.entries(services).filter(([, s]) => !s.profiles || s.profiles.includes('production')).map(([name]) => name).sort();
  assert.deepEqual(active, ['batch-worker', 'caddy', 'coturn', 'redis', 'server-1', 'server-2']);
  assert.match(services.redis!.command!.join(' '), /--appendonly yes/);

  const nodes = ['server-1', 'server-2'].map((name) => services[name]!.environment!);
  assert.deepEqual(nodes.map((e) => e.NODE_ID), ['server-1', 'server-2']);
  assert.equal(new Set(nodes.map((e) => e.PORT)).size, 2, 'an HTTP port each');
  assert.equal(new Set(nodes.map((e) => e.WEBRTC_PORT)).size, 2, 'WebRTC ports of their own');
  for (const env of nodes) {
    assert.equal(env.CLUSTER_SECRET, 'composeClusterSecret-0123456789abcdef');
    assert.equal(env.PUBLIC_URL, `https://onair.example.com/nodes/${env.NODE_ID}`, 'the domain and the node\'s own path');
    assert.equal(env.REDIS_URL, 'redis://:composeRedisPassword0123@127.0.0.1:6379');
    assert.equal(env.HOST, '127.0.0.1', 'HTTP only through Caddy');
    assert.equal(env.TRUST_PROXY, '127.0.0.1');
    assert.equal(env.ICE_ANNOUNCED_ADDRESSES, '203.0.113.7');
    assert.equal(env.TURN_SECRET, services.coturn!.environment!.TURN_SECRET, 'coturn verifies what the nodes sign');
    assert.equal(env.TURN_URLS, 'turn:onair.example.com:3478?transport=udp,turn:onair.example.com:3478?transport=tcp');
    assert.equal(env.EMBEDDED_WORKER, 'false');
  }
  const turn = services.coturn!.command!.join(' ');
  for (const flag of ['--use-auth-secret', '--listening-port=3478', '--min-port=49160', '--max-port=49999', '--denied-peer-ip=0.0.0.0-255.255.255.255', '--allowed-peer-ip="$$PUBLIC_IP"']) {
    assert.ok(turn.includes(flag), `coturn ${flag}`);
  }
  assert.doesNotMatch(turn, /composeTurnSecret/, 'the TURN secret is not on the command line');
  assert.match(services['batch-worker']!.command!.join(' '), /dist\/pipeline\/jobs\/workerMain\.js/);
  assert.ok(services.caddy!.volumes!.some((v) => v.endsWith('docker/Caddyfile:/etc/caddy/Caddyfile:ro')));

  // The Caddyfile parses (Debian's caddy), routes each node's own path (its PUBLIC_URL) to that
  // node alone with the prefix stripped, and everything else to all the nodes.
  const { stdout } = await promisify(execFile)('caddy', ['adapt', '--config', 'docker/Caddyfile', '--adapter', 'caddyfile'], { cwd: ROOT_DIR, env: { ...process.env, ONAIR_DOMAIN: 'onair.example.com' } });
  type Route = { match?: { host?: string[]; path?: string[] }[]; handle: { handler: string; routes?: Route[]; upstreams?: { dial: string }[]; strip_path_prefix?: string }[] };
  const caddy = JSON.parse(stdout) as { apps: { http: { servers: Record<string, { listen: string[]; routes: Route[] }> } } };
  const [server] = Object.values(caddy.apps.http.servers);
  assert.deepEqual(server!.listen, [':443']);
  assert.deepEqual(server!.routes[0]!.match![0]!.host, ['onair.example.com']);
  const handlers = (route: Route): Route['handle'] => route.handle.flatMap((h) => [h, ...(h.routes ?? []).flatMap(handlers)]);
  const dials = (route: Route) => handlers(route).flatMap((h) => h.upstreams ?? []).map((u) => u.dial);
  const routes = server!.routes[0]!.handle[0]!.routes!;
  for (const env of nodes) {
    const own = routes.find((r) => r.match?.[0]?.path?.[0] === `/nodes/${env.NODE_ID}/*`);
    assert.ok(own, `a route for ${env.NODE_ID}'s own path`);
    assert.deepEqual(dials(own), [`127.0.0.1:${env.PORT}`]);
    assert.ok(handlers(own).some((h) => h.strip_path_prefix === `/nodes/${env.NODE_ID}`));
  }
  assert.deepEqual(dials(routes.at(-1)!), nodes.map((e) => `127.0.0.1:${e.PORT}`));
});

// Issue 16: Node 20 reached end of life (April 2026) and werift 0.25 declares Node >= 22.
test('the image runs Node 24, package.json requires Node >= 22, and archived fluent-ffmpeg stays behind one module', async () => {
  assert.deepEqual([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]), ['node:24-bookworm-slim', 'node:24-bookworm-slim']);
  const pkg = JSON.parse(readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(pkg.engines.node, '>=22');
  const { stdout } = await promisify(execFile)('grep', ['-rlE', "from 'fluent-ffmpeg'", 'lib', 'renderer', 'pipeline', 'server', 'bench', 'scripts'], { cwd: ROOT_DIR });
  assert.deepEqual(stdout.trim().split('\n'), ['pipeline/encode/Mp4ClipWriter.ts'], 'see docs/security.md, "Runtime"');
});
