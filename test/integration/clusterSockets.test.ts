/**
 * Issue 11, sockets: two nodes on one Redis. A show runs on its origin; viewer and host
 * sockets on the other node (the edge) work for it: an edge viewer's events are decided on
 * the edge, with the show-wide state the origin publishes; host events are relayed to the
 * origin, and the origin's emits reach the edge through the socket.io Redis streams adapter.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { postbackSignature } from '../../server/audience/Conversions.js';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { OverlayMessage } from '../../server/audience/overlayMessage.js';
import { ViewerTokens } from '../../server/auth/tokens.js';
import type { OnAir } from '../../server/OnAir.js';
import type { PollView } from '../../server/shows/polls/Poll.js';
import { waitUntil } from '../helpers/batch.js';
import { HOST_TOKEN, hostAuth, isolatedBatchEnv, startOnAir } from '../helpers/startOnAir.js';
import { next, openSocket, send, viewerToken, type Reply } from '../helpers/viewerSocket.js';

const JOIN = { device: 'desktop', language: 'en-US', region: 'US', referrer: 'https://www.google.com/search?q=ledger', consent: true };
const CAMPAIGNS = ['ledger-card', 'newsletter-badge', 'oferta-directo', 'us-trial-promo', 'picks-for-you', 'launch-tshirt', 'podcast-badge'];
const campaignSecret = (campaign: string) => createHash('sha256').update(`campaign ${campaign}`).digest('base64url');
const json = (body: unknown, method = 'POST') => ({ method, headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

let nodes: OnAir[] = [];
/** The node the show runs on, and the other one. */
let origin: OnAir;
let edge: OnAir;
let showId: string;
const sockets: Socket[] = [];

before(async () => {
  const env = { ...isolatedBatchEnv(), HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0', CONVERSION_SECRETS: CAMPAIGNS.map((c) => `${c}=${campaignSecret(c)}`).join(',') };
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
  const reply = await send<{ viewerId: string; overlays: OverlayMessage[]; stage?: unknown; streamEpochMs?: number }>(socket, 'join', JOIN);
  assert.ok(reply.ok, JSON.stringify(reply));
  return { socket, viewerId: reply.result.viewerId, overlays: reply.result.overlays, reply: reply.result };
}

type AuditRow = { kind: string; trigger?: string; node?: string; id?: string; decisionId?: string; outcome?: string };
async function auditOf(viewerId: string): Promise<AuditRow[]> {
  return ((await (await fetch(`${edge.url}/api/shows/${showId}/audit?viewer=${viewerId}`, { headers: hostAuth })).json()) as { rows: AuditRow[] }).rows;
}
type Figures = { arms: Record<string, { viewers: number; impressions: number; clicks: number; conversions: number; decisions: number }>; latency: { count: number } };
async function figures(node: OnAir): Promise<Figures> {
  return (await (await fetch(`${node.url}/api/shows/${showId}/audience`, { headers: hostAuth })).json()) as Figures;
}
const total = (f: Figures, field: 'viewers' | 'impressions' | 'clicks' | 'conversions' | 'decisions') => Object.values(f.arms).reduce((n, a) => n + a[field], 0);

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
    const { rows } = (await (await fetch(`${edge.url}/api/shows/${showId}/audit?viewer=${there.viewerId}`, { headers: hostAuth })).json()) as { rows: Array<{ kind: string; trigger?: string; node?: string }> };
    return rows.some((r) => r.kind === 'decision' && r.trigger === 'offer_word') && rows;
  }, 5_000, "the edge viewer's decisions in the audit");
  assert.ok(rows.some((r) => r.trigger === 'join'));
  // The word-timed offer reached the edge as a message, and the edge decided for its viewer.
  assert.equal(rows.find((r) => r.trigger === 'offer_word')!.node, edge.cluster.nodeId, 'the word-timed CTA decided on the edge');

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

test('an edge viewer is decided for on the edge, with the origin\'s show-wide state; per-arm figures, votes, postbacks and the CTA moment count it once', { timeout: 60_000 }, async () => {
  // The origin's show-wide state reaches the edge: a topic and a shared overlay set on the origin are in an edge join.
  const topic = await fetch(`${origin.url}/api/shows/${showId}/topic`, json({ topic: 'hardware wallets' }, 'PUT'));
  assert.equal(topic.status, 200);
  const put = await fetch(`${origin.url}/api/shows/${showId}/overlays/shared`, json({ placement: 'badge', headline: 'Shared for all' }, 'PUT'));
  assert.equal(put.status, 200);
  const before = await figures(origin);
  const here = await joinedViewer(origin);
  const there = await joinedViewer(edge);
  const followed = edge.audience.followed(showId);
  assert.ok(followed && followed.role === 'follower', 'the edge follows the show while it holds a viewer of it');
  await waitUntil(() => followed.topic === 'hardware wallets', 3_000, 'the topic on the edge');
  assert.ok(there.overlays.some((o) => o.slot === 'shared' && o.headline === 'Shared for all'), `the shared overlay in the edge join: ${JSON.stringify(there.overlays)}`);
  assert.deepEqual(there.reply.stage, here.reply.stage, "the presenter's stage in the edge join is the origin's");
  assert.equal(there.reply.streamEpochMs, here.reply.streamEpochMs);

  // Each viewer's join decision was made on the node that holds its socket, and audited with that node.
  const decidedOn = async (viewerId: string) => {
    const rows = await waitUntil(async () => {
      const r = await auditOf(viewerId);
      return r.some((row) => row.kind === 'decision' && row.trigger === 'join') && r;
    }, 5_000, 'the join decision in the audit');
    return rows.filter((r) => r.kind === 'decision').map((r) => r.node);
  };
  assert.deepEqual([...new Set(await decidedOn(there.viewerId))], [edge.cluster.nodeId], 'the edge viewer is decided for on the edge');
  assert.deepEqual([...new Set(await decidedOn(here.viewerId))], [origin.cluster.nodeId], 'the origin viewer on the origin');

  // An impression and a click of the edge viewer's CTA count once in the origin's per-arm figures; so does its viewer.
  const shown = there.overlays.find((o) => o.slot === 'personal' && o.decisionId);
  assert.ok(shown?.decisionId && shown.templateId, `a CTA at the edge join: ${JSON.stringify(there.overlays)}`);
  const next1 = next<OverlayMessage>(there.socket, 'overlay', (o) => o.slot === 'personal' && o.decisionId !== shown.decisionId);
  for (const event of ['cta_impression', 'cta_impression', 'cta_click', 'cta_click']) {
    const reply: Reply = await send(there.socket, event, { decisionId: shown.decisionId });
    assert.ok(reply.ok, JSON.stringify(reply));
  }
  const after = await waitUntil(async () => {
    const f = await figures(origin);
    return total(f, 'impressions') === total(before, 'impressions') + 1 && total(f, 'clicks') === total(before, 'clicks') + 1 && total(f, 'viewers') >= total(before, 'viewers') + 2 && f;
  }, 5_000, "the edge viewer's impression and click, once each, and its viewer (the edge reports every second), in the origin's figures");
  assert.equal(total(after, 'viewers'), total(before, 'viewers') + 2, `each viewer once: ${JSON.stringify(after.arms)}`);
  // Still once a few reports later.
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const later = await figures(origin);
  assert.deepEqual([total(later, 'viewers'), total(later, 'impressions'), total(later, 'clicks')], [total(before, 'viewers') + 2, total(before, 'impressions') + 1, total(before, 'clicks') + 1]);
  assert.ok(after.latency.count >= 2, "the edge's decisions are in the panel's latency");
  await next1.catch(() => undefined); // the click's next decision may show nothing (caps)

  // An advertiser's postback for the edge's decision reaches the origin, which finds the decision in Redis.
  const timestampMs = Date.now();
  const campaign = shown.templateId;
  const postback = await fetch(`${edge.url}/api/shows/${showId}/conversions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-onair-campaign': campaign, 'x-onair-timestamp': String(timestampMs), 'x-onair-signature': postbackSignature(campaignSecret(campaign), { campaign, timestampMs, showId, decisionId: shown.decisionId }) },
    body: JSON.stringify({ decisionId: shown.decisionId }),
  });
  assert.deepEqual([postback.status, await postback.json()], [202, { recorded: true }]);
  await waitUntil(async () => total(await figures(origin), 'conversions') === total(before, 'conversions') + 1, 5_000, 'the conversion counted once');

  // A poll vote on the edge counts once, in the tallies every node's viewers get; after the close the edge refuses votes.
  const launched = await fetch(`${origin.url}/api/shows/${showId}/polls`, json({ question: 'Cold or hot?', options: [{ label: 'Cold' }, { label: 'Hot' }], durationMs: 60_000, announce: false }));
  const poll = (await launched.json()) as PollView;
  await waitUntil(() => followed.polls.open?.id === poll.id, 3_000, 'the poll on the edge');
  const tallied = next<PollView>(here.socket, 'poll', (p) => p.id === poll.id && p.total === 1);
  const vote = await send<{ poll: PollView }>(there.socket, 'poll_vote', { pollId: poll.id, option: 1 });
  assert.ok(vote.ok, JSON.stringify(vote));
  assert.deepEqual(vote.result.poll.tallies, [0, 1]);
  assert.deepEqual((await tallied).tallies, [0, 1], 'the origin sends the edge vote to every viewer');
  const twice = await send(there.socket, 'poll_vote', { pollId: poll.id, option: 0 });
  assert.equal(!twice.ok && twice.error.code, 'ALREADY_VOTED');
  const closed = (await (await fetch(`${origin.url}/api/shows/${showId}/polls/${poll.id}/close`, { method: 'POST', headers: hostAuth })).json()) as PollView;
  assert.deepEqual(closed.tallies, [0, 1]);
  const late = await joinedViewer(edge);
  const refused = await send(late.socket, 'poll_vote', { pollId: poll.id, option: 0 });
  assert.equal(!refused.ok && refused.error.code, 'POLL_CLOSED', 'a vote on the edge after the close is refused');
  late.socket.close();

  // The host's CTA moment reaches the edge viewer, decided on the edge, and the answer counts both nodes' viewers.
  await waitUntil(async () => total(await figures(origin), 'viewers') === total(before, 'viewers') + 2, 5_000, 'the late viewer gone');
  const moment = await fetch(`${edge.url}/api/shows/${showId}/cta-moment`, json({}));
  const counted = (await moment.json()) as { viewers: number; shown: number };
  assert.equal(counted.viewers, total(before, 'viewers') + 2, `every node's viewers: ${JSON.stringify(counted)}`);
  const rows = await waitUntil(async () => {
    const r = await auditOf(there.viewerId);
    return r.some((row) => row.kind === 'decision' && row.trigger === 'cta_moment') && r;
  }, 5_000, "the edge viewer's CTA moment decision");
  assert.equal(rows.find((r) => r.trigger === 'cta_moment')!.node, edge.cluster.nodeId);

  // The edge stops following the show when its last viewer of it leaves.
  there.socket.close();
  here.socket.close();
  await waitUntil(() => edge.audience.followed(showId) === undefined, 5_000, 'the edge to stop following');
});
