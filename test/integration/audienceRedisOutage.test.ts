import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Socket } from 'socket.io-client';
import type { OnAir } from '../../server/OnAir.js';
import { privateRedis, waitUntil, type PrivateRedis } from '../helpers/batch.js';
import { createShow, startOnAir } from '../helpers/startOnAir.js';
import { openSocket, send, viewerToken } from '../helpers/viewerSocket.js';

let redis: PrivateRedis;
let onair: OnAir;
let showId: string;
const sockets: Socket[] = [];

before(async () => {
  redis = await privateRedis();
  onair = await startOnAir({ REDIS_URL: redis.url, HOLDOUT_PERCENT: '0', DEFAULT_OVERLAY: 'newsletter-badge' });
  showId = await createShow(onair, 'redis outage', { testCard: true });
});

after(async () => {
  for (const socket of sockets) socket.close();
  await onair?.close();
  await redis.stop();
});

type Decided = { decision?: { id: string; tier: string } };

test('with Redis stopped mid-show, decisions fall back within budget, the stream goes on, and the audit catches up', async () => {
  const socket = await openSocket(onair, '/viewer', await viewerToken(onair, showId), sockets);
  const joined = await send<{ overlays: Array<{ slot: string; decisionId?: string }> }>(socket, 'join', { consent: true, language: 'en-US', region: 'US' });
  assert.ok(joined.ok);
  const up = joined.result.overlays.find((o) => o.slot === 'personal');
  // An event that always leads to a decision: dismissing the CTA on screen, or resuming with none up.
  const decidingEvent = (decisionId = up?.decisionId): [string, object] => (decisionId ? ['cta_dismiss', { decisionId }] : ['resume', {}]);
  const show = onair.shows.live(showId)!;

  await redis.stop();
  const framesBefore = show.lane.stats.framesProduced;
  const started = performance.now();
  const reply = await send<Decided>(socket, ...decidingEvent());
  const elapsedMs = performance.now() - started;
  assert.ok(reply.ok, JSON.stringify(reply));
  assert.equal(reply.result.decision?.tier, 'fallback', 'the fallback tier decides while Redis is away');
  assert.equal((reply.result.decision as { templateId?: string }).templateId, 'newsletter-badge', 'it shows the safe default');
  assert.ok(elapsedMs < 500, `answered in ${elapsedMs.toFixed(0)} ms`);
  const fallbackId = reply.result.decision!.id;
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(show.lane.stats.framesProduced > framesBefore + 5, 'the live lane keeps producing frames');
  assert.ok(show.encoder.running, 'and the encoder keeps running');

  await redis.start();
  let latest = fallbackId;
  const recovered = await waitUntil(async () => {
    const again = await send<Decided>(socket, ...decidingEvent(latest));
    const decision = again.ok ? again.result.decision : undefined;
    if (decision?.tier === 'fallback') latest = decision.id;
    return decision && decision.tier !== 'fallback' && decision;
  }, 10_000, 'decisions to leave the fallback tier once Redis is back');
  assert.notEqual(recovered.tier, 'fallback');
  const rows = await waitUntil(async () => {
    await onair.audience.audit.flush().catch(() => undefined);
    const rows = await onair.audience.audit.byShow(showId, { limit: 50 }).catch(() => []);
    return rows.some((r) => r.kind === 'decision' && r.id === fallbackId) && rows;
  }, 10_000, 'the decision made during the outage in the audit');
  const during = rows.find((r) => r.kind === 'decision' && r.id === fallbackId) as { fallbackReason?: string };
  assert.equal(during.fallbackReason, 'redis_unavailable');
});
