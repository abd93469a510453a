import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import type { OverlayMessage } from '../../server/audience/overlayMessage.js';
import type { PollView } from '../../server/shows/polls/Poll.js';
import { launchChromium } from '../helpers/chromium.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { hostAuth, isolatedBatchEnv } from '../helpers/startOnAir.js';
import { NodeProcess } from '../helpers/nodeProcess.js';
import { next, openSocket, send, viewerToken } from '../helpers/viewerSocket.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';

// Issue 11: three real server processes and one Redis. The show's origin is node 1; nodes 2
// and 3 pipe it (mediasoup PipeTransport) to their own viewers. Then node 1 is killed -9.
// Every viewer is in the experiment and gets the ranked CTA: the word-timed offer reaches each.
const env: Record<string, string> = { ...isolatedBatchEnv(), HLS: 'false', HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0', ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }) };
const JOIN = { device: 'desktop', language: 'en-US', region: 'US', referrer: 'https://www.google.com/search?q=ledger', consent: true };
const nodes: NodeProcess[] = [];
const viewers: WeriftViewer[] = [];
const sockets: Socket[] = [];
let browser: Browser | undefined;
let redis: Redis;
let showId: string;

const api = async <T>(node: NodeProcess, path: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${node.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...hostAuth, ...(init.json !== undefined && { 'content-type': 'application/json' }) },
    ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
  });
  return { status: response.status, body: (await response.json().catch(() => undefined)) as T };
};

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined as T);
    if (value !== undefined && ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what} (logs: ${nodes.map((n) => n.logFile).join(' ')})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A werift viewer that POSTs its offer to `node`, following a 307 as a WHEP client does. */
async function watch(node: NodeProcess): Promise<{ viewer: WeriftViewer; servedBy: string; redirected: boolean }> {
  const viewer = new WeriftViewer();
  viewers.push(viewer);
  const offer = await viewer.createOffer();
  const response = await fetch(`${node.url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer });
  assert.equal(response.status, 201, `WHEP at ${node.nodeId}: ${response.status}`);
  await viewer.acceptAnswer(await response.text());
  return { viewer, servedBy: new URL(response.url).origin, redirected: response.redirected };
}

const plays = (viewer: WeriftViewer, what: string) => {
  const start = { ...viewer.counts };
  return viewer.waitFor(() => viewer.counts.video - start.video > 30 && viewer.counts.audio - start.audio > 20, 20_000, what);
};

before(async () => {
  nodes.push(await NodeProcess.start('node-1', env));
  redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // Alone in the cluster, node 1 places the show on itself.
  const created = await api<{ id: string; node: string }>(nodes[0]!, '/api/shows', { method: 'POST', json: { title: 'cluster show' } });
  assert.equal(created.status, 201);
  assert.equal(created.body.node, 'node-1');
  showId = created.body.id;
  nodes.push(await NodeProcess.start('node-2', env), await NodeProcess.start('node-3', { ...env, MAX_VIEWERS_PER_NODE: '1' }));
  await until(() => api<{ nodes: unknown[] }>(nodes[0]!, '/api/cluster'), (r) => r.body.nodes.length === 3, 10_000, 'three nodes are listed');
});

after(async () => {
  for (const socket of sockets) socket.close();
  await browser?.close();
  await Promise.all(viewers.map((v) => v.close()));
  await Promise.all(nodes.map((n) => n.stop()));
  redis?.disconnect();
});

test('viewers on nodes 2 and 3 watch the show of node 1 through one pipe per node; a full node answers 307', async () => {
  const [n1, n2, n3] = nodes as [NodeProcess, NodeProcess, NodeProcess];
  const onTwo = [await watch(n2), await watch(n2)];
  const onThree = await watch(n3);
  for (const { viewer, servedBy, redirected } of [...onTwo, onThree]) {
    assert.equal(redirected, false);
    assert.notEqual(servedBy, n1.url);
    await plays(viewer, 'video and audio piped from node 1');
  }
  // Node 3 has MAX_VIEWERS_PER_NODE=1: its next viewer is sent to the emptiest node that can serve the show.
  const sent = await watch(n3);
  assert.equal(sent.redirected, true);
  assert.notEqual(sent.servedBy, n3.url);
  await plays(sent.viewer, 'video and audio after the 307');

  const cluster = await api<{ nodes: { nodeId: string; shows: string[]; load: { viewers: number; pipes: { imports: number; exports: number } } }[] }>(n2, '/api/cluster');
  const byId = new Map(cluster.body.nodes.map((n) => [n.nodeId, n]));
  assert.deepEqual(byId.get('node-1')!.shows, [showId]);
  // One export per edge node however many viewers each has.
  await until(() => api<typeof cluster.body>(n2, '/api/cluster'), (r) => r.body.nodes.find((n) => n.nodeId === 'node-1')!.load.pipes.exports === 2, 3_000, 'node 1 reports two exports');
  assert.equal(byId.get('node-2')!.load.pipes.imports, 1);
  assert.equal(byId.get('node-3')!.load.pipes.imports, 1);
});

test('host calls on any node act on the show of node 1', async () => {
  const [, n2, n3] = nodes as [NodeProcess, NodeProcess, NodeProcess];
  const topic = await api<{ topic: string }>(n2, `/api/shows/${showId}/topic`, { method: 'PUT', json: { topic: 'cameras' } });
  assert.equal(topic.status, 200);
  const info = await api<{ node: string; viewers: number }>(n3, `/api/shows/${showId}`);
  assert.equal(info.body.node, 'node-1');
});

test('viewers on all three nodes: a poll launched on node 1 counts each vote once; a word-timed CTA reaches every node', async () => {
  const joined = await Promise.all(
    nodes.map(async (node) => {
      const socket = await openSocket(node, '/viewer', await viewerToken(node, showId), sockets);
      const reply = await send(socket, 'join', JOIN);
      assert.ok(reply.ok, `${node.nodeId}: ${JSON.stringify(reply)}`);
      return socket;
    }),
  );
  const seen = joined.map((socket) => next<PollView>(socket, 'poll'));
  const launched = await api<PollView>(nodes[0]!, `/api/shows/${showId}/polls`, { method: 'POST', json: { question: 'Next?', options: [{ label: 'Lenses' }, { label: 'Tripods' }], durationMs: 120_000, announce: false } });
  assert.equal(launched.status, 201, JSON.stringify(launched.body));
  const poll = launched.body;
  for (const view of await Promise.all(seen)) assert.equal(view.id, poll.id);
  const tallied = joined.map((socket) => next<PollView>(socket, 'poll', (p) => p.total === 3));
  const votes = await Promise.all(joined.map((socket, i) => send(socket, 'poll_vote', { pollId: poll.id, option: i % 2 })));
  assert.ok(votes.every((v) => v.ok), JSON.stringify(votes));
  for (const socket of joined) {
    const again = await send(socket, 'poll_vote', { pollId: poll.id, option: 0 });
    assert.equal(!again.ok && again.error.code, 'ALREADY_VOTED');
  }
  for (const view of await Promise.all(tallied)) assert.deepEqual(view.tallies, [2, 1], 'each vote once, on every node');

  const offered = joined.map((socket) => next<OverlayMessage>(socket, 'overlay', (o) => o.atStreamTimeMs !== undefined, 20_000));
  const cue = await api<{ id: string }>(nodes[0]!, `/api/shows/${showId}/cues`, { method: 'POST', json: { text: 'Today only, open a Ledger account with no fees.', offer: { word: 'Ledger', overlay: 'ledger-card' } } });
  assert.equal(cue.status, 202, JSON.stringify(cue.body));
  const overlays = await Promise.all(offered);
  assert.equal(new Set(overlays.map((o) => o.atStreamTimeMs)).size, 1, 'the same stream time on every node');
  for (const overlay of overlays) assert.equal(overlay.templateId, 'ledger-card');
  for (const socket of joined) socket.close();
});

test('kill -9 of the origin: another node takes the show over within 5 s, as it was, and viewers play again', async () => {
  const [n1, n2, n3] = nodes as [NodeProcess, NodeProcess, NodeProcess];
  const before = await api<{ polls: { id: string; state: string }[] }>(n2, `/api/shows/${showId}/polls`);
  const openPoll = before.body.polls.find((p) => p.state === 'open')!;
  assert.ok(openPoll, 'a poll is open before the kill');
  const killedAt = Date.now();
  await n1.kill();
  const moved = await until(() => api<{ node: string; state: string }>(n2, `/api/shows/${showId}`), (r) => r.status === 200 && r.body.state === 'live' && r.body.node !== 'node-1', 10_000, 'the show runs again');
  const takeoverMs = Date.now() - killedAt;
  console.log(`# takeover: show live on ${moved.body.node} ${takeoverMs} ms after kill -9`);
  assert.ok(takeoverMs <= 5_000, `taken over in ${takeoverMs} ms`);
  // What it held in memory came back from its snapshot: topic and the open poll, with its id.
  const audience = await api<{ topic?: string }>(n3, `/api/shows/${showId}/audience`);
  assert.equal(audience.status, 200, JSON.stringify(audience.body));
  assert.equal(audience.body.topic, 'cameras');
  const polls = await api<{ polls: { id: string; state: string }[] }>(n3, `/api/shows/${showId}/polls`);
  assert.deepEqual(polls.body.polls.map((p) => [p.id, p.state]), [[openPoll.id, 'open']], 'the open poll goes on, under its id');
  const resumed = await api<PollView>(n3, `/api/shows/${showId}/polls/${openPoll.id}`);
  assert.deepEqual(resumed.body.tallies, [2, 1], 'with the votes cast before the kill');

  // A viewer reconnects as the page does: POST again until it is served, then plays.
  const again = (await until(
    async () => {
      const viewer = new WeriftViewer();
      const offer = await viewer.createOffer();
      const response = await fetch(`${n2.url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: offer });
      if (response.status !== 201) {
        await viewer.close();
        return undefined;
      }
      viewers.push(viewer);
      await viewer.acceptAnswer(await response.text());
      return viewer;
    },
    (viewer) => viewer !== undefined,
    15_000,
    'a viewer is served again',
  ))!;
  await again.waitFor(() => again.counts.video > 0, 15_000, 'the first video packet after the takeover');
  console.log(`# failover gap: kill -9 → first video packet at a reconnected viewer: ${Date.now() - killedAt} ms`);
  await plays(again, 'video and audio after the takeover');
});

test('kill -9 of an edge node: the viewer page it served moves to another node within 3 s', async () => {
  const live = nodes.filter((n) => n.nodeId !== 'node-1');
  const origin = (await api<{ node: string }>(live[0]!, `/api/shows/${showId}`)).body.node;
  const edge = live.find((n) => n.nodeId !== origin)!;
  const survivor = live.find((n) => n.nodeId === origin)!;
  // The edge must have room, or it would send the page's WHEP to the other node (307).
  await until(() => api<{ nodes: { nodeId: string; load: { viewers: number; maxViewers: number } }[] }>(survivor, '/api/cluster'), (r) => {
    const load = r.body.nodes.find((n) => n.nodeId === edge.nodeId)?.load;
    return load !== undefined && load.viewers < load.maxViewers;
  }, 15_000, 'the edge has room for a viewer');
  browser = await launchChromium();
  const page = await browser.newPage();
  const events: string[] = [];
  page.on('console', (m) => events.push(`console ${m.type()}: ${m.text()}`));
  page.on('requestfailed', (r) => events.push(`failed ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  await page.goto(`${edge.url}/watch/${showId}`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
  await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 10 && s.totalSamplesDuration > 1, 15_000, 'video and audio from the edge');
  const served = await page.evaluate(() => (window as unknown as { onair: { client: { location: string } } }).onair.client.location);
  assert.ok(served.startsWith(edge.url), `the edge serves the page's session (${served})`);
  const before = await inboundStats(page);
  const killedAt = Date.now();
  await edge.kill();
  // The page's socket drops with its node; the WHEP client moves to the node named in X-OnAir-Alternates.
  await page.waitForFunction((url) => (window as unknown as { onair: { client: { location: string | null } } }).onair.client.location?.startsWith(url) === true, survivor.url, { timeout: 10_000 }).catch(async (error: Error) => {
    const client = await page.evaluate(() => {
      const { client } = (window as unknown as { onair: { client: { location: string | null; endpoint: string; alternates: string[]; state: string } } }).onair;
      return { location: client.location, endpoint: client.endpoint, alternates: client.alternates, state: client.state, label: document.getElementById('state')?.title };
    });
    throw new Error(`${error.message}; the page's WHEP client: ${JSON.stringify(client)}; ${events.slice(-12).join(' | ')}`);
  });
  const moved = await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 10, 10_000, 'frames from the other node');
  const movedMs = Date.now() - killedAt;
  console.log(`# edge kill -9 → frames decoded from ${survivor.nodeId}: ${movedMs} ms`);
  assert.ok(movedMs <= 3_000, `moved in ${movedMs} ms`);
  assert.ok(moved.framesDecoded > 0 && before.framesDecoded > 0);
  await page.close();
});
