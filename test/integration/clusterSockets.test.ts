/**
 * Issue 11, sockets: two nodes on one Redis. A show runs on its origin; viewer and host
 * sockets on the other node (the edge) work for it: their events are relayed to the origin,
 * and the origin's emits reach them through the socket.io Redis streams adapter.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { OverlayMessage } from '../../server/audience/overlayMessage.js';
import { ViewerTokens } from '../../server/auth/tokens.js';
import type { OnAir } from '../../server/OnAir.js';
import type { PollView } from '../../server/shows/polls/Poll.js';
import { waitUntil } from '../helpers/batch.js';
import { HOST_TOKEN, hostAuth, isolatedBatchEnv, startOnAir } from '../helpers/startOnAir.js';
import { next, openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

const JOIN = { device: 'desktop', language: 'en-US', region: 'US', referrer: 'https://www.google.com/search?q=ledger', consent: true };
const json = (body: unknown, method = 'POST') => ({ method, headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

let nodes: OnAir[] = [];
/** The node the show runs on, and the other one. */
let origin: OnAir;
let edge: OnAir;
let showId: string;
const sockets: Socket[] = [];

before(async () => {
  const env = { ...isolatedBatchEnv(), HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0' };
  nodes = [await startOnAir(env), await startOnAir(env)];
  const [a, b] = nodes as [OnAir, OnAir];
  await waitUntil(() => a.cluster.nodes().some((n) => n.nodeId === b.cluster.nodeId) && b.cluster.nodes().some((n) => n.nodeId === a.cluster.nodeId), 5_000, 'the nodes to see each other');
  // The show runs on the node started last: two nodes in one process share libespeak-ng, and
  // only the engine initialized last gets audio back, so only that node's presenter speaks
  // (and says the offer word). Separate processes have no such limit.
  [edge, origin] = [a, b];
  showId = (await origin.shows.create({ title: 'cluster sockets' })).id;
  assert.ok(origin.shows.live(showId) && !edge.shows.live(showId), 'the show runs on one node');
  await waitUntil(async () => (await edge.cluster.locate(showId)).where === 'node', 5_000, 'the edge to find the show in the directory');
});

after(async () => {
  for (const socket of sockets) socket.close();
  await Promise.all(nodes.map((node) => node.close()));
});

async function joinedViewer(node: OnAir) {
  // The token comes from any node: the edge forwards the call to the origin.
  const socket = await openSocket(node, '/viewer', await viewerToken(node, showId), sockets);
  const reply = await send<{ viewerId: string; overlays: OverlayMessage[] }>(socket, 'join', JOIN);
  assert.ok(reply.ok, JSON.stringify(reply));
  return { socket, viewerId: reply.result.viewerId };
}

test('viewers and a host on either node: polls, tallies, shared overlays, chat, cue status and word-timed offers reach them all', { timeout: 60_000 }, async () => {
  const here = await joinedViewer(origin);
  const there = await joinedViewer(edge);
  const host = await openSocket(edge, '/host', HOST_TOKEN, sockets);
  const watched = await send(host, 'watch', { showId });
  assert.ok(watched.ok, JSON.stringify(watched));

  // A poll launched on the origin reaches viewers on both nodes; each vote counts once.
  const pollsSeen = [next<PollView>(here.socket, 'poll'), next<PollView>(there.socket, 'poll')];
  const launched = await fetch(`${origin.url}/api/shows/${showId}/polls`, json({ question: 'Which one?', options: [{ label: 'Red' }, { label: 'Blue' }], durationMs: 60_000, announce: false }));
  assert.equal(launched.status, 201, await launched.clone().text());
  const poll = (await launched.json()) as PollView;
  for (const seen of await Promise.all(pollsSeen)) assert.equal(seen.id, poll.id);
  const tallied = [here, there].map((v) => next<PollView>(v.socket, 'poll', (p) => p.total === 2));
  const hostTallied = next<PollView>(host, 'poll', (p) => p.total === 2);
  const votes = [await send(here.socket, 'poll_vote', { pollId: poll.id, option: 0 }), await send(there.socket, 'poll_vote', { pollId: poll.id, option: 1 })];
  assert.ok(votes.every((v) => v.ok), JSON.stringify(votes));
  const again = await send(there.socket, 'poll_vote', { pollId: poll.id, option: 0 });
  assert.equal(!again.ok && again.error.code, 'ALREADY_VOTED', 'a vote relayed from the edge counts once');
  for (const seen of await Promise.all(tallied)) assert.deepEqual(seen.tallies, [1, 1]);
  assert.deepEqual((await hostTallied).tallies, [1, 1], 'the host on the edge gets the tallies');
  const closed = (await (await fetch(`${edge.url}/api/shows/${showId}/polls/${poll.id}/close`, { method: 'POST', headers: hostAuth })).json()) as PollView;
  assert.equal(closed.total, 2, 'each vote once in the final tally');

  // A shared overlay reaches both.
  const shared = [here, there].map((v) => next<OverlayMessage>(v.socket, 'overlay', (o) => o.slot === 'shared' && o.headline === 'Everyone'));
  const put = await fetch(`${origin.url}/api/shows/${showId}/overlays/shared`, json({ placement: 'side_card', headline: 'Everyone' }, 'PUT'));
  assert.equal(put.status, 200);
  await Promise.all(shared);

  // A chat line from the edge viewer reaches the host on the edge.
  const line = next<{ text: string; viewerId: string }>(host, 'chat', (l) => l.text === 'Hello from the edge node', 10_000);
  const chatted = await send(there.socket, 'chat', { text: 'Hello from the edge node' });
  assert.ok(chatted.ok, JSON.stringify(chatted));
  assert.equal((await line).viewerId, there.viewerId);

  // A cue with an offer word: its status reaches the host on the edge, the word-timed CTA the viewer there.
  const offered = next<OverlayMessage>(there.socket, 'overlay', (o) => o.atStreamTimeMs !== undefined, 15_000);
  const statuses: Array<{ id: string; state: string }> = [];
  host.on('cue', (status: { id: string; state: string }) => statuses.push(status));
  const cue = await fetch(`${origin.url}/api/shows/${showId}/cues`, json({ text: 'Today only, open a Ledger account with no fees.', offer: { word: 'Ledger', overlay: 'ledger-card' } }));
  assert.equal(cue.status, 202, await cue.clone().text());
  const { id } = (await cue.json()) as { id: string };
  const overlay = await offered;
  await waitUntil(() => statuses.some((c) => c.id === id && c.state === 'speaking'), 5_000, 'the cue status at the host on the edge');
  assert.equal(overlay.templateId, 'ledger-card');
  assert.equal(overlay.atStreamTimeMs, origin.shows.live(showId)!.cues!.get(id)!.offer!.streamTimeMs);

  // The host panel's figures count both nodes' viewers; the edge viewer's decisions are in the audit.
  const figures = (await (await fetch(`${edge.url}/api/shows/${showId}/audience`, { headers: hostAuth })).json()) as { arms: Record<string, { viewers: number }> };
  assert.equal(Object.values(figures.arms).reduce((n, a) => n + a.viewers, 0), 2, JSON.stringify(figures.arms));
  const rows = await waitUntil(async () => {
    const { rows } = (await (await fetch(`${edge.url}/api/shows/${showId}/audit?viewer=${there.viewerId}`, { headers: hostAuth })).json()) as { rows: Array<{ kind: string; trigger?: string }> };
    return rows.some((r) => r.kind === 'decision' && r.trigger === 'offer_word') && rows;
  }, 5_000, "the edge viewer's decisions in the audit");
  assert.ok(rows.some((r) => r.trigger === 'join'));

  // Closing the edge socket disconnects the viewer on the origin.
  there.socket.close();
  await waitUntil(async () => {
    const s = (await (await fetch(`${origin.url}/api/shows/${showId}/audience`, { headers: hostAuth })).json()) as { arms: Record<string, { viewers: number }> };
    return Object.values(s.arms).reduce((n, a) => n + a.viewers, 0) === 1;
  }, 5_000, 'the edge viewer to leave the origin');
});

test('a viewer socket for a show no node holds is refused with SHOW_NOT_FOUND', { timeout: 10_000 }, async () => {
  const token = new ViewerTokens(edge.config.viewerTokenSecret).issue('nosuchshow123');
  await assert.rejects(openSocket(edge, '/viewer', token, sockets), (error: Error & { data?: { code?: string } }) => error.data?.code === 'SHOW_NOT_FOUND');
});
