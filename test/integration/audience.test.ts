import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { OverlayMessage } from '../../server/audience/overlayMessage.js';
import { postbackSignature } from '../../server/audience/Conversions.js';
import { auditToLogs } from '../../server/decisions/ranker/train/auditToLogs.js';
import { logsToJsonl, parseLogs } from '../../server/decisions/ranker/train/rankerLogs.js';
import type { OnAir } from '../../server/OnAir.js';
import type { PollView } from '../../server/shows/polls/Poll.js';
import { waitUntil } from '../helpers/batch.js';
import { createShow, HOST_TOKEN, hostAuth, RANKED_CHOICE_ENV, startOnAir } from '../helpers/startOnAir.js';
import { next, openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

// Each campaign (CTA template) signs its postbacks with a secret of its own.
const CAMPAIGNS = ['ledger-card', 'newsletter-badge', 'oferta-directo', 'us-trial-promo', 'picks-for-you', 'launch-tshirt', 'podcast-badge'];
const campaignSecret = (campaign: string) => createHash('sha256').update(`campaign ${campaign}`).digest('base64url');
let onair: OnAir;
let showId: string;
const sockets: Socket[] = [];

before(async () => {
  onair = await startOnAir({ ...RANKED_CHOICE_ENV, CONVERSION_SECRETS: CAMPAIGNS.map((c) => `${c}=${campaignSecret(c)}`).join(',') });
  showId = await createShow(onair, 'audience');
});

after(async () => {
  for (const socket of sockets) socket.close();
  await onair?.close();
});

type AuditRow = { kind: string; outcome?: string } & Record<string, unknown>;
const auditRows = async (viewerId: string): Promise<AuditRow[]> =>
  ((await (await fetch(`${onair.url}/api/shows/${showId}/audit?viewer=${viewerId}`, { headers: hostAuth })).json()) as { rows: AuditRow[] }).rows;

const JOIN = { device: 'desktop', language: 'en-US', region: 'US', referrer: 'https://www.google.com/search?q=ledger', consent: true };
const json = (body: unknown) => ({ method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function joinedViewer(join: Record<string, unknown> = JOIN) {
  const token = await viewerToken(onair, showId);
  const socket = await openSocket(onair, '/viewer', token, sockets);
  const reply = await send<{ viewerId: string; overlays: OverlayMessage[]; stage: { faceSafeArea: object; frame: object } }>(socket, 'join', join);
  assert.ok(reply.ok, JSON.stringify(reply));
  return { socket, token, ...reply.result };
}

test('a viewer joins, gets the stage and a decision; every decision is audited with its arm, rules and propensity', async () => {
  const viewer = await joinedViewer();
  assert.ok(viewer.stage.faceSafeArea, 'the face safe area comes with the join');
  const rows = await waitUntil(async () => {
    const rows = await auditRows(viewer.viewerId);
    return rows.length > 0 && rows;
  }, 3_000, 'the join decision in the audit');
  const decision = rows.find((r) => r.kind === 'decision')!;
  assert.equal(decision.trigger, 'join');
  assert.ok(['control', 'treatment'].includes(decision.arm as string), 'no holdout with HOLDOUT_PERCENT=0');
  assert.ok(Array.isArray(decision.rulesFired));
  assert.equal(typeof decision.propensity, 'number');
});

test('impressions and clicks are counted once per decision; a click makes the next decision for that viewer', async (t) => {
  const viewer = await joinedViewer();
  let shown = viewer.overlays.find((o) => o.slot === 'personal');
  if (!shown) {
    // The join decision may be `none` (a fallback tier, or a ranker score under the bar): what this test counts
    // needs a CTA on screen, so the host asks for one, where `none` is no option. Why the join had none is logged.
    const rows = await waitUntil(async () => {
      const rows = await auditRows(viewer.viewerId);
      return rows.length > 0 && rows;
    }, 3_000, 'the join decision in the audit');
    t.diagnostic(`no CTA at join; the join decision: ${JSON.stringify(rows)}`);
    const overlay = next<OverlayMessage>(viewer.socket, 'overlay', (o) => o.slot === 'personal');
    assert.equal((await fetch(`${onair.url}/api/shows/${showId}/cta-moment`, json({}))).status, 200);
    shown = await overlay;
  }
  assert.ok(shown.decisionId, JSON.stringify(shown));
  for (let i = 0; i < 2; i++) assert.ok((await send(viewer.socket, 'cta_impression', { decisionId: shown.decisionId })).ok);
  const clicked = await send<{ decision?: { id: string; templateId?: string } }>(viewer.socket, 'cta_click', { decisionId: shown.decisionId });
  assert.ok(clicked.ok && clicked.result.decision, JSON.stringify(clicked));
  assert.notEqual(clicked.result.decision.id, shown.decisionId);
  assert.notEqual(clicked.result.decision.templateId, shown.templateId, 'the clicked CTA is not offered again');
  const snapshot = await waitUntil(async () => {
    const s = (await (await fetch(`${onair.url}/api/shows/${showId}/audience`, { headers: hostAuth })).json()) as { arms: Record<string, { impressions: number; clicks: number }> };
    const arms = Object.values(s.arms);
    return arms.reduce((n, a) => n + a.clicks, 0) >= 1 && arms;
  }, 3_000, 'the click in the per-arm figures');
  assert.ok(snapshot.reduce((n, a) => n + a.impressions, 0) >= 1);
  const outcomes = await waitUntil(async () => {
    const kinds = (await auditRows(viewer.viewerId)).filter((r) => r.kind === 'outcome').map((r) => r.outcome);
    return kinds.includes('click') && kinds;
  }, 3_000, 'the click in the audit');
  assert.equal(outcomes.filter((k) => k === 'impression').length, 1, 'a repeated impression is not counted twice');
});

test('bad input: unknown events, bad payloads, unknown decisions, forged tokens and floods get stable codes', async () => {
  const viewer = await joinedViewer();
  const codeOf = async (event: string, payload: unknown) => {
    const reply = await send(viewer.socket, event, payload);
    return reply.ok ? 'ok' : reply.error.code;
  };
  assert.equal(await codeOf('become_host', {}), 'UNKNOWN_EVENT');
  assert.equal(await codeOf('heartbeat', { watchMs: -5 }), 'INVALID_EVENT');
  assert.equal(await codeOf('heartbeat', { watchMs: 1000, __proto__: { admin: true }, extra: 1 }), 'INVALID_EVENT');
  assert.equal(await codeOf('heartbeat', 'not an object'), 'INVALID_REQUEST');
  assert.equal(await codeOf('cta_click', { decisionId: 'x'.repeat(500) }), 'INVALID_EVENT');
  assert.equal(await codeOf('cta_click', { decisionId: 'nosuchdecision1' }), 'DECISION_NOT_FOUND');
  assert.equal(await codeOf('join', { region: '<script>', consent: 'yes' }), 'INVALID_EVENT');
  await assert.rejects(openSocket(onair, '/viewer', `${viewer.token.slice(0, -3)}abc`, sockets), /AUTH_INVALID/);
  const codes = await Promise.all(Array.from({ length: 40 }, () => codeOf('heartbeat', { watchMs: 0 })));
  assert.ok(codes.includes('RATE_LIMITED'), 'a flood is rate-limited');
  assert.ok(viewer.socket.connected, 'and the socket stays up');
  const disconnected = new Promise((resolve) => viewer.socket.once('disconnect', resolve));
  viewer.socket.emit('chat', { text: 'x'.repeat(32 * 1024) });
  await disconnected;
  assert.ok((await joinedViewer()).socket.connected, 'a payload over the 16 KiB frame limit closes only its own socket');
});

test('polls: one vote per viewer, live tallies to viewers, and the result steers the next segment', async () => {
  const host = await openSocket(onair, '/host', HOST_TOKEN, sockets);
  assert.ok((await send(host, 'watch', { showId })).ok);
  const response = await fetch(`${onair.url}/api/shows/${showId}/polls`, json({ question: 'What next?', options: [{ label: 'Pricing' }, { label: 'Shipping', segment: 'Talk about shipping times' }], durationMs: 60_000, announce: false }));
  assert.equal(response.status, 201);
  const poll = (await response.json()) as PollView;
  const voters = await Promise.all([joinedViewer(), joinedViewer(), joinedViewer()]);
  const tallied = next<PollView>(voters[0]!.socket, 'poll', (p) => p.total === 3);
  const hostTallied = next<PollView>(host, 'poll', (p) => p.total === 3);
  for (const [i, v] of voters.entries()) assert.ok((await send(v.socket, 'poll_vote', { pollId: poll.id, option: i === 0 ? 0 : 1 })).ok);
  const again = await send(voters[1]!.socket, 'poll_vote', { pollId: poll.id, option: 0 });
  assert.equal(!again.ok && again.error.code, 'ALREADY_VOTED');
  assert.deepEqual((await tallied).tallies, [1, 2]);
  assert.deepEqual((await hostTallied).tallies, [1, 2]);

  const closed = (await (await fetch(`${onair.url}/api/shows/${showId}/polls/${poll.id}/close`, { method: 'POST', headers: hostAuth })).json()) as PollView;
  assert.deepEqual(closed.result, { winner: 1, label: 'Shipping', percent: 67, total: 3 });
  const cues = onair.shows.live(showId)!.cues!;
  const steered = await waitUntil(() => {
    const list = cues.list();
    const result = list.find((c) => c.intent?.intent === 'poll_result');
    const segment = list.find((c) => c.prompt === 'Talk about shipping times');
    return result && segment && { result, segment };
  }, 10_000, 'the poll_result cue and the next segment');
  assert.ok(steered.result.text.includes('Shipping') || steered.result.state === 'queued', steered.result.text);
  assert.equal(onair.shows.audience(showId)!.topic, 'Shipping');
  const late = await send(voters[2]!.socket, 'poll_vote', { pollId: poll.id, option: 0 });
  assert.equal(!late.ok && late.error.code, 'POLL_CLOSED');
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
});

test('a host overlay goes to everyone as text; script in it stays text and unsafe links are refused', async () => {
  const viewer = await joinedViewer();
  const arrived = next<OverlayMessage>(viewer.socket, 'overlay', (o) => o.slot === 'shared');
  const put = (body: unknown) => fetch(`${onair.url}/api/shows/${showId}/overlays/shared`, { ...json(body), method: 'PUT' });
  assert.equal((await put({ placement: 'side_card', headline: 'Hi', link: 'javascript:alert(1)', action: 'Go' })).status, 400);
  assert.equal((await put({ placement: 'everywhere', headline: 'Hi' })).status, 400);
  assert.equal((await put({ placement: 'side_card', headline: '<img src=x onerror=alert(1)>', link: 'https://example.com/a', action: 'Go' })).status, 200);
  assert.equal((await arrived).headline, '<img src=x onerror=alert(1)>');
  const cleared = next<OverlayMessage>(viewer.socket, 'overlay', (o) => o.slot === 'shared' && o.placement === 'none');
  assert.equal((await fetch(`${onair.url}/api/shows/${showId}/overlays/shared`, { method: 'DELETE', headers: hostAuth })).status, 204);
  await cleared;
});

test("a host overlay carries the host's translations to every viewer; bad translations get stable codes", async () => {
  const viewer = await joinedViewer();
  const put = (body: Record<string, unknown>) => fetch(`${onair.url}/api/shows/${showId}/overlays/shared`, { ...json({ placement: 'side_card', headline: 'Free shipping today', ...body }), method: 'PUT' });
  const codeOf = async (body: Record<string, unknown>) => {
    const response = await put(body);
    return [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
  };
  const cases: Array<[Record<string, unknown>, number, string]> = [
    [{ translations: { es: { headline: 'Envío gratis hoy' } } }, 400, 'OVERLAY_MISSING_FIELD'],
    [{ language: 'en', translations: { en: { headline: 'Free shipping, again' } } }, 400, 'OVERLAY_BAD_LANGUAGE'],
    [{ language: 'English' }, 400, 'OVERLAY_BAD_LANGUAGE'],
    [{ language: 'en', translations: { 'es-MX': { headline: 'Envío gratis hoy' } } }, 400, 'OVERLAY_BAD_LANGUAGE'],
    [{ language: 'en', translations: { es: { headline: '   ' } } }, 400, 'OVERLAY_BAD_TEXT'],
    [{ language: 'en', translations: { es: { headline: 'Envío', link: 'javascript:alert(1)' } } }, 400, 'OVERLAY_BAD_LINK'],
    [{ language: 'en', translations: { es: { headline: 'bell\u0007' } } }, 400, 'OVERLAY_CONTROL_CHARACTERS'],
    [{ language: 'en', translations: { es: { headline: 'x'.repeat(81) } } }, 400, 'INVALID_REQUEST'],
    [{ language: 'en', translations: { es: 'Envío gratis hoy' } }, 400, 'INVALID_REQUEST'],
    [{ language: 'en', translations: { es: { headline: 'Envío', colour: 'red' } } }, 400, 'INVALID_REQUEST'],
    [{ language: 'en', translations: {} }, 400, 'INVALID_REQUEST'],
  ];
  for (const [body, status, code] of cases) assert.deepEqual(await codeOf(body), [status, code], JSON.stringify(body));

  const arrived = next<OverlayMessage>(viewer.socket, 'overlay', (o) => o.slot === 'shared' && o.placement === 'side_card');
  const translations = { es: { headline: 'Envío gratis hoy', action: 'Comprar' } };
  assert.equal((await put({ language: 'en', action: 'Shop', link: 'https://shop.example.com/', translations })).status, 200);
  const message = await arrived;
  assert.deepEqual(
    [message.headline, message.action, message.language, message.translations],
    ['Free shipping today', 'Shop', 'en', translations],
    'one message for everyone: the host words, their language and the translations the page picks from',
  );
  // A viewer who joins later gets the same in the join reply.
  const late = await joinedViewer({ ...JOIN, language: 'es-ES' });
  assert.deepEqual(late.overlays.find((o) => o.slot === 'shared')?.translations, translations);
  assert.equal((await fetch(`${onair.url}/api/shows/${showId}/overlays/shared`, { method: 'DELETE', headers: hostAuth })).status, 204);
});

test('a word-timed offer reaches each chosen viewer with the stream time of the word', async () => {
  const viewer = await joinedViewer();
  const offered = next<OverlayMessage>(viewer.socket, 'overlay', (o) => o.atStreamTimeMs !== undefined, 10_000);
  const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, json({ text: 'Today only, open a Ledger account with no fees.', offer: { word: 'Ledger', overlay: 'ledger-card' } }));
  assert.equal(response.status, 202, await response.clone().text());
  const { id } = (await response.json()) as { id: string };
  const overlay = await offered;
  const cue = onair.shows.live(showId)!.cues!.get(id)!;
  assert.equal(overlay.templateId, 'ledger-card');
  assert.equal(overlay.atStreamTimeMs, cue.offer!.streamTimeMs);
  assert.ok(cue.offer!.streamTimeMs! > cue.streamTimeMs!, 'the word comes after the line starts');
  const bad = await fetch(`${onair.url}/api/shows/${showId}/cues`, json({ text: 'Hello there.', offer: { word: 'Ledger', overlay: 'ledger-card' } }));
  assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'OFFER_WORD_NOT_IN_TEXT');
  const unknown = await fetch(`${onair.url}/api/shows/${showId}/cues`, json({ text: 'Ledger!', offer: { word: 'Ledger', overlay: 'no-such-card' } }));
  assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'UNKNOWN_OVERLAY');
});

test("deleting a viewer's data is one call: its session, profile and audit rows are gone", async () => {
  const viewer = await joinedViewer();
  await send(viewer.socket, 'heartbeat', { watchMs: 5_000 });
  await onair.audience.audit.flush();
  const redis = onair.redis.client;
  const before = await redis.smembers(`${onair.config.audience.prefix}:viewer:${viewer.viewerId}:keys`);
  assert.ok(before.length >= 2, `the viewer's index lists its keys: ${before.join(', ')}`);
  const other = await fetch(`${onair.url}/api/viewers/someoneelse`, { method: 'DELETE', headers: { authorization: `Bearer ${viewer.token}` } });
  assert.equal(other.status, 403);
  const response = await fetch(`${onair.url}/api/viewers/me`, { method: 'DELETE', headers: { authorization: `Bearer ${viewer.token}` } });
  assert.equal(response.status, 200);
  const erased = (await response.json()) as { keysDeleted: number; streamEntriesDeleted: number };
  assert.ok(erased.keysDeleted >= 1 && erased.streamEntriesDeleted >= 1, JSON.stringify(erased));
  assert.equal((await auditRows(viewer.viewerId)).length, 0);
  // Erasure revokes the identity's token (issue 16).
  const revoked = await fetch(`${onair.url}/api/viewers/me`, { method: 'DELETE', headers: { authorization: `Bearer ${viewer.token}` } });
  assert.equal(revoked.status, 401);
});

test('ranked decisions and their clicks export from the audit as training logs the trainer accepts', async () => {
  // A region the sponsor does not serve: once the show is far enough along for the sponsor to be
  // behind its pacing, its CTA is forced by a rule, and a rule's decision is not the ranker's.
  const viewer = await joinedViewer({ ...JOIN, region: 'CU', referrer: '', utm: { source: 'briefing', medium: 'email', campaign: 'spring' } });
  const shown = viewer.overlays.find((o) => o.slot === 'personal');
  assert.ok(shown?.decisionId, `a ranked CTA at join: ${JSON.stringify(viewer.overlays)}`);
  await send(viewer.socket, 'cta_impression', { decisionId: shown.decisionId });
  await send(viewer.socket, 'cta_click', { decisionId: shown.decisionId });
  await onair.audience.audit.flush();
  const logs = await auditToLogs(onair.audience.audit.exportShow(showId));
  const clicked = logs.filter((r) => r.clicked === 1);
  assert.ok(clicked.length >= 1, 'the click labels its decision');
  assert.ok(logs.every((r) => r.context.viewerId === 'anonymous' && r.context.join.utmCampaign === undefined), 'no viewer id or campaign tags in training rows');
  assert.equal(parseLogs(logsToJsonl(logs)).length, logs.length, 'every row passes the trainer\'s checks');
});

// Issue 16: conversions came with the viewer's own token, neither deduplicated nor rate-limited,
// so one viewer could inflate its arm and flush real rows out of the capped audit stream.
test('conversions are signed advertiser postbacks, counted once per decision; a viewer token, a forged or stale signature count nothing', async () => {
  const viewer = await joinedViewer();
  const shown = viewer.overlays.find((o) => o.slot === 'personal');
  assert.ok(shown?.decisionId && shown.templateId, `a CTA at join: ${JSON.stringify(viewer.overlays)}`);
  const campaign = shown.templateId;
  const postback = async (headers: Record<string, string>, decisionId = shown.decisionId!) => {
    const response = await fetch(`${onair.url}/api/shows/${showId}/conversions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ decisionId }) });
    const body = (await response.json()) as { recorded?: boolean; error?: { code: string } };
    return { status: response.status, body: (body.error ? { code: body.error.code } : body) as { recorded?: boolean; code?: string } };
  };
  const signed = (timestampMs = Date.now(), secret = campaignSecret(campaign), c = campaign) => ({
    'x-onair-campaign': c,
    'x-onair-timestamp': String(timestampMs),
    'x-onair-signature': postbackSignature(secret, { campaign: c, timestampMs, showId, decisionId: shown.decisionId! }),
  });
  const conversions = async () => {
    const s = (await (await fetch(`${onair.url}/api/shows/${showId}/audience`, { headers: hostAuth })).json()) as { arms: Record<string, { conversions: number }> };
    return Object.values(s.arms).reduce((n, a) => n + a.conversions, 0);
  };
  const before = await conversions();
  // The viewer's own token is no postback, nor is a wrong secret, another campaign's, or an old timestamp.
  assert.equal((await postback({ authorization: `Bearer ${viewer.token}` })).body.code, 'POSTBACK_INVALID');
  assert.equal((await postback(signed(Date.now(), campaignSecret('someone-else')))).body.code, 'POSTBACK_INVALID');
  assert.equal((await postback(signed(Date.now() - 10 * 60_000))).body.code, 'POSTBACK_INVALID', 'outside the replay window');
  const other = CAMPAIGNS.find((c) => c !== campaign)!;
  assert.equal((await postback(signed(Date.now(), campaignSecret(other), other))).body.code, 'DECISION_NOT_FOUND', "another campaign's decision");
  // A valid postback counts once, however often it is sent or re-signed.
  assert.deepEqual(await postback(signed()), { status: 202, body: { recorded: true } });
  for (let i = 0; i < 20; i++) assert.deepEqual((await postback(signed(Date.now() + i))).body, { recorded: false });
  await waitUntil(async () => (await conversions()) === before + 1, 3_000, 'the conversion in the per-arm figures');
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(await conversions(), before + 1, 'counted once');
  assert.equal((await auditRows(viewer.viewerId)).filter((r) => r.outcome === 'conversion').length, 1, 'one audit row');
});

test('vote stuffing with freshly minted viewers is bounded: minting is rate-limited per address', async () => {
  const statuses = await Promise.all(Array.from({ length: 140 }, () => fetch(`${onair.url}/api/shows/${showId}/viewers`, { method: 'POST' }).then((r) => r.status)));
  assert.ok(statuses.includes(429), 'past the burst, joins from one address get 429 RATE_LIMITED');
  assert.ok(statuses.filter((s) => s === 201).length <= 110);
});

