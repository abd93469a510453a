import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import http from 'node:http';
import { Redis } from 'ioredis';
import type { OnAir } from '../../server/OnAir.js';
import { ClusterAuth } from '../../server/cluster/clusterAuth.js';
import { hostAuth, isolatedBatchEnv, startOnAir } from '../helpers/startOnAir.js';

// Two real nodes in this process, on the test Redis, forming one cluster of their own.
// Two shows fill a node: placement must then pick the other, whatever either node's CPU reads
// (both nodes live in this one process, so a busy moment can penalize either).
const env: Record<string, string> = { ...isolatedBatchEnv(), DEMO_SHOW: 'false', HLS: 'false', MAX_SHOWS: '2', VIEWER_JOIN_BURST: '3', VIEWER_JOINS_PER_SECOND: '1' };
let a: OnAir;
let b: OnAir;
let redis: Redis;

before(async () => {
  a = await startOnAir({ ...env, NODE_ID: 'node-a' });
  b = await startOnAir({ ...env, NODE_ID: 'node-b' });
  redis = new Redis(a.redis.url);
  await waitFor(() => a.cluster.nodes().length === 2 && b.cluster.nodes().length === 2, 'both nodes see each other');
});

after(async () => {
  await Promise.all([a?.close(), b?.close()]);
  redis?.disconnect();
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const api = (node: OnAir, path: string, init: RequestInit = {}) => fetch(`${node.url}${path}`, { ...init, headers: { ...hostAuth, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });

test('GET /api/cluster lists every node with its load; only hosts may read it', async () => {
  const response = await api(b, '/api/cluster');
  assert.equal(response.status, 200);
  const body = (await response.json()) as { nodeId: string; nodes: { nodeId: string; url: string; self: boolean; load: { viewers: number; shows: number; cpu: number } }[] };
  assert.equal(body.nodeId, 'node-b');
  assert.deepEqual(body.nodes.map((n) => n.nodeId).sort(), ['node-a', 'node-b']);
  for (const node of body.nodes) {
    assert.equal(typeof node.load.viewers, 'number');
    assert.equal(typeof node.load.cpu, 'number');
  }
  assert.equal(body.nodes.find((n) => n.self)?.nodeId, 'node-b');
  assert.equal((await fetch(`${b.url}/api/cluster`)).status, 401);
});

test('a new show goes to the emptiest node, and any node answers for any show', async () => {
  // Node a is full with two shows: a show created through node a is placed on node b and forwarded there.
  const busy = [await a.shows.create({ title: 'busy 1', testCard: true }), await a.shows.create({ title: 'busy 2', testCard: true })];
  await waitFor(() => b.cluster.node('node-a')?.load.shows === 2 && a.cluster.node('node-a')?.load.shows === 2, 'the load is heard');
  const response = await api(a, '/api/shows', { method: 'POST', body: JSON.stringify({ title: 'placed', testCard: true }) });
  assert.equal(response.status, 201);
  const placed = (await response.json()) as { id: string; node: string };
  assert.equal(placed.node, 'node-b');
  assert.ok(b.shows.live(placed.id));
  const created = [...busy.map((show) => ({ id: show.id, node: 'node-a' })), placed];
  for (const node of [a, b]) {
    const { shows } = (await (await api(node, '/api/shows')).json()) as { shows: { id: string; node: string }[] };
    assert.deepEqual(shows.map((s) => s.id).sort(), created.map((s) => s.id).sort(), 'every node lists the whole cluster\'s shows');
  }
  assert.equal((await fetch(`${a.url}/api/shows`)).status, 401);
  for (const show of created) {
    const runner = show.node === 'node-a' ? a : b;
    const other = show.node === 'node-a' ? b : a;
    assert.ok(runner.shows.live(show.id));
    assert.equal(other.shows.live(show.id), undefined);
    // Asked on the node that does not run it: forwarded, answered by the one that does.
    const info = (await (await api(other, `/api/shows/${show.id}`)).json()) as { id: string; node: string; viewers: number };
    assert.equal(info.node, show.node);
    assert.equal(info.viewers, 0);
    const ended = await api(other, `/api/shows/${show.id}`, { method: 'DELETE' });
    assert.equal(ended.status, 200);
    assert.equal(runner.shows.live(show.id), undefined);
  }
  await waitFor(async () => (await redis.hlen(`${env.CLUSTER_PREFIX!}:shows`)) === 0, 'ended shows leave the directory');
});

test('a show no node holds is refused with SHOW_NOT_FOUND on every node', async () => {
  for (const node of [a, b]) {
    const response = await api(node, '/api/shows/nosuchshow1/cues');
    assert.equal(response.status, 404);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'SHOW_NOT_FOUND');
  }
});

test('node-to-node calls without the cluster secret are refused', async () => {
  const forger = new ClusterAuth('another-secret-another-secret-0123456789');
  const cases: Record<string, string>[] = [
    { 'x-onair-node': 'node-a' },
    forger.headers('node-a', 'GET', '/api/cluster'),
    a.cluster.auth.headers('node-a', 'GET', '/api/cluster', Date.now() - 60_000),
    a.cluster.auth.headers('node-a', 'GET', '/api/other'),
  ];
  for (const headers of cases) {
    const response = await fetch(`${b.url}/api/cluster`, { headers: { ...hostAuth, ...headers } });
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'CLUSTER_AUTH_INVALID');
  }
  const signed = await fetch(`${b.url}/api/cluster`, { headers: { ...hostAuth, ...a.cluster.auth.headers('node-a', 'GET', '/api/cluster') } });
  assert.equal(signed.status, 200);
});

test('a forged node registration is never listed or used', async () => {
  const prefix = env.CLUSTER_PREFIX!;
  const fake = { nodeId: 'evil', url: 'http://127.0.0.1:9', publicUrl: 'http://127.0.0.1:9', sfu: 'mediasoup', canPipe: true, startedAt: '', heartbeatAt: '', load: { viewers: 0, shows: 0, cpu: 0, maxViewers: 1e6, maxShows: 1e6 } };
  await redis.multi().set(`${prefix}:node:evil`, `forgedsignature.${JSON.stringify(fake)}`, 'PX', 10_000).sadd(`${prefix}:nodes`, 'evil').exec();
  await waitFor(() => a.cluster.forged.includes('evil'), 'the forged entry is noticed');
  const body = (await (await api(a, '/api/cluster')).json()) as { nodes: { nodeId: string }[]; forged: string[] };
  assert.deepEqual(body.nodes.map((n) => n.nodeId).sort(), ['node-a', 'node-b']);
  assert.deepEqual(body.forged, ['evil']);
  // The emptiest "node" would win placement if it were believed.
  const response = await api(a, '/api/shows', { method: 'POST', body: JSON.stringify({ title: 'not on evil', testCard: true }) });
  const show = (await response.json()) as { id: string; node: string };
  assert.notEqual(show.node, 'evil');
  await api(a, `/api/shows/${show.id}`, { method: 'DELETE' });
});

test('a werift node cannot pipe: it sends WHEP viewers of another node\'s show to that node (307)', async () => {
  const c = await startOnAir({ ...env, NODE_ID: 'node-c', SFU_BACKEND: 'werift' });
  try {
    await waitFor(() => c.cluster.nodes().length === 3, 'the werift node joins');
    const show = await a.shows.create({ title: 'on a', testCard: true });
    try {
      const response = await fetch(`${c.url}/whep/${show.id}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: 'v=0\r\n', redirect: 'manual' });
      assert.equal(response.status, 307);
      assert.equal(response.headers.get('location'), `${a.url}/whep/${show.id}`);
      assert.equal(c.cluster.nodes().find((n) => n.nodeId === 'node-c')!.canPipe, false);
    } finally {
      await a.shows.end(show.id);
    }
  } finally {
    await c.close();
  }
});

test('a viewer erased on one node is refused on every node', async () => {
  const show = await a.shows.create({ title: 'erasure', testCard: true });
  try {
    const joined = (await (await fetch(`${b.url}/api/shows/${show.id}/viewers`, { method: 'POST' })).json()) as { viewerId: string; token: string };
    // A WHEP offer that cannot parse: 400 with a good token, 401 with a revoked one.
    const asViewer = (node: OnAir) => fetch(`${node.url}/whep/${show.id}`, { method: 'POST', headers: { authorization: `Bearer ${joined.token}`, 'content-type': 'application/sdp' }, body: 'not sdp' });
    assert.notEqual((await asViewer(a)).status, 401, 'a token minted on node b works on node a');
    const erased = await api(b, `/api/viewers/${joined.viewerId}`, { method: 'DELETE' });
    assert.equal(erased.status, 200);
    await waitFor(async () => (await asViewer(a)).status === 401, 'node a refuses the token too', 3_000);
  } finally {
    await a.shows.end(show.id);
  }
});

test('a call forwarded to the show\'s node is limited by the client\'s address, not the forwarding node\'s', async () => {
  const show = await a.shows.create({ title: 'joins', testCard: true });
  // Anonymous joins from two loopback addresses, through node b, to the show on node a.
  const join = (from: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(`${b.url}/api/shows/${show.id}/viewers`, { method: 'POST', localAddress: from }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on('error', reject);
      request.end();
    });
  try {
    const first = [await join('127.0.0.2'), await join('127.0.0.2'), await join('127.0.0.2')];
    assert.deepEqual(first, [201, 201, 201]);
    assert.equal(await join('127.0.0.2'), 429, 'the fourth join from one address within the burst');
    assert.equal(await join('127.0.0.3'), 201, 'another address has its own budget');
  } finally {
    await a.shows.end(show.id);
  }
});

test('a show ending on its node is never taken over by that node\'s own sweep', async () => {
  // The sweep runs every second; each end spends a while between leaving the show list and
  // leaving the directory, which once read as a show of this node to take over.
  for (let i = 0; i < 5; i++) {
    const show = await a.shows.create({ title: `short ${i}`, testCard: true });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await a.shows.end(show.id);
  }
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  assert.deepEqual(a.shows.list().map((s) => s.id), []);
  assert.equal(await redis.hlen(`${env.CLUSTER_PREFIX!}:shows`), 0);
});
