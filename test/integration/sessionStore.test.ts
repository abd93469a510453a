import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis, type Command } from 'ioredis';
import type { JoinContext } from '../../server/decisions/types.js';
import { formatSummary, summarize } from '../../lib/percentiles.js';
import { ProfileStore } from '../../server/viewers/ProfileStore.js';
import { connectViewerStoreRedis } from '../../server/viewers/redisCall.js';
import { SessionStore, type SessionStoreOptions } from '../../server/viewers/SessionStore.js';
import { indexMember, viewerKeys } from '../../server/viewers/viewerKeys.js';
import { KeyPrefixes } from '../helpers/keyPrefixes.js';
import { privateRedis } from '../helpers/batch.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NOW = 1_750_000_000_000;
const JOIN: JoinContext = { device: 'mobile', language: 'es', referrer: 'social', utmSource: 'tw', region: 'MX', consent: false };
let redis: Redis;
const prefixes = new KeyPrefixes();

before(async () => {
  redis = await connectViewerStoreRedis(REDIS_URL);
});

after(async () => {
  await prefixes.drop(redis);
  redis.disconnect();
});

function stores(options: Partial<SessionStoreOptions> = {}) {
  const prefix = prefixes.fresh('sessions');
  return { prefix, keys: viewerKeys(prefix), sessions: new SessionStore(redis, { prefix, ...options }), profiles: new ProfileStore(redis, { prefix }) };
}

test('a sequence of updates gives the expected features, and a reconnect reads the join context back', async () => {
  const { sessions } = stores();
  const joined = await sessions.apply('show1', 'v1', { kind: 'join', join: JOIN }, NOW);
  assert.deepEqual(joined.join, JOIN);
  assert.equal(joined.features.watchMs, 0);
  await sessions.apply('show1', 'v1', { kind: 'heartbeat', watchMs: 30_000, topic: 'shipping' }, NOW + 1);
  await sessions.apply('show1', 'v1', { kind: 'heartbeat', watchMs: 30_000, topic: 'shipping' }, NOW + 2);
  await sessions.apply('show1', 'v1', { kind: 'heartbeat', watchMs: 15_000, topic: 'pricing' }, NOW + 3);
  await sessions.apply('show1', 'v1', { kind: 'impression', templateId: 'ledger-card' }, NOW + 4);
  await sessions.apply('show1', 'v1', { kind: 'impression', templateId: 'promo.x' }, NOW + 5);
  await sessions.apply('show1', 'v1', { kind: 'click', templateId: 'ledger-card' }, NOW + 6);
  await sessions.apply('show1', 'v1', { kind: 'dismiss', templateId: 'promo.x' }, NOW + 7);
  await sessions.apply('show1', 'v1', { kind: 'vote', pollId: 'abc123', option: 'Blue' }, NOW + 8);
  await sessions.apply('show1', 'v1', { kind: 'mute' }, NOW + 9);
  await sessions.apply('show1', 'v1', { kind: 'pause' }, NOW + 10);
  await sessions.apply('show1', 'v1', { kind: 'resume' }, NOW + 11);
  await sessions.apply('show1', 'v1', { kind: 'seek' }, NOW + 12);
  const last = await sessions.apply('show1', 'v1', { kind: 'chat' }, NOW + 13);
  const expected = {
    watchMs: 75_000,
    // 0.5·(1−e^(−75000/600000)) + 0.15·min(1, 1/2) + 0.15·min(1, 1/2) + 0.2·min(1, 1/3) − 0.1·min(1, 1/3)
    engagement: Math.round((0.5 * (1 - Math.exp(-75_000 / 600_000)) + 0.075 + 0.075 + 0.2 / 3 - 0.1 / 3) * 10_000) / 10_000,
    topicsSeen: ['shipping', 'pricing'],
    ctasShown: 2,
    ctasClicked: 1,
    shownByTemplate: { 'ledger-card': 1, 'promo.x': 1 },
    clickedByTemplate: { 'ledger-card': 1 },
    dismissedByTemplate: { 'promo.x': 1 },
    lastCtaAtMs: NOW + 5,
    lastPollAnswer: 'Blue',
    muted: true,
    paused: false,
  };
  assert.deepEqual(last, { join: JOIN, features: expected });
  assert.deepEqual(await sessions.read('show1', 'v1'), { join: JOIN, features: expected }, 'read gives what apply gave');
  assert.equal(await sessions.read('show1', 'nobody'), undefined);
  assert.equal(await sessions.read('show2', 'v1'), undefined, 'sessions are per show');
});

test('an event before any join still counts, with no join context', async () => {
  const { sessions } = stores();
  const snapshot = await sessions.apply('show1', 'v2', { kind: 'heartbeat', watchMs: 5_000 }, NOW);
  assert.equal(snapshot.join, undefined);
  assert.equal(snapshot.features.watchMs, 5_000);
  assert.deepEqual(snapshot.features.topicsSeen, []);
});

test('engagement saturates in 0..1 and dismisses pull it down', async () => {
  const { sessions } = stores();
  for (let i = 0; i < 200; i++) await sessions.apply('s', 'busy', { kind: 'heartbeat', watchMs: 60_000 }, NOW);
  for (const kind of ['click', 'click', 'click'] as const) await sessions.apply('s', 'busy', { kind, templateId: 't1' }, NOW);
  for (let i = 0; i < 3; i++) await sessions.apply('s', 'busy', { kind: 'vote', pollId: 'abc123', option: 'A' }, NOW);
  let top = 0;
  for (let i = 0; i < 5; i++) top = (await sessions.apply('s', 'busy', { kind: 'chat' }, NOW)).features.engagement;
  assert.equal(top, 1);
  const dismissed = await sessions.apply('s', 'busy', { kind: 'dismiss', templateId: 't1' }, NOW);
  assert.ok(dismissed.features.engagement < 1 && dismissed.features.engagement > 0.9, String(dismissed.features.engagement));
});

test('every apply is one round trip (one EVALSHA after the first call on the connection)', async () => {
  const { sessions } = stores();
  await sessions.apply('show1', 'v3', { kind: 'join', join: { ...JOIN, consent: true } }, NOW);
  const sent: string[] = [];
  const original = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: Command, ...rest: unknown[]) => {
    sent.push(command.name);
    return (original as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
  try {
    const updates = [
      { kind: 'heartbeat', watchMs: 10_000, topic: 'shipping' },
      { kind: 'impression', templateId: 'ledger-card' },
      { kind: 'click', templateId: 'ledger-card' },
      { kind: 'vote', pollId: 'abc123', option: 'A' },
      { kind: 'join', join: { ...JOIN, consent: false } },
    ] as const;
    for (const update of updates) await sessions.apply('show1', 'v3', update, NOW);
  } finally {
    redis.sendCommand = original;
  }
  assert.deepEqual(sent, ['evalsha', 'evalsha', 'evalsha', 'evalsha', 'evalsha']);
});

test('the TTL slides on every update, and the index outlives the session', async () => {
  const { sessions, keys } = stores({ sessionTtlMs: 5_000 });
  await sessions.apply('show1', 'v4', { kind: 'join', join: JOIN }, NOW);
  const key = keys.session('show1', 'v4');
  const first = await redis.pttl(key);
  assert.ok(first > 4_800 && first <= 5_000, String(first));
  await new Promise((r) => setTimeout(r, 400));
  const aged = await redis.pttl(key);
  assert.ok(aged <= first - 350, `${aged} after 400 ms`);
  await sessions.apply('show1', 'v4', { kind: 'mute' }, NOW);
  const refreshed = await redis.pttl(key);
  assert.ok(refreshed > aged + 300, `${refreshed} refreshed from ${aged}`);
  assert.ok((await redis.pttl(keys.index('v4'))) >= refreshed, 'the index outlives the session');
  assert.deepEqual(await redis.smembers(keys.index('v4')), [indexMember.del(key)]);
  await sessions.read('show1', 'v4');
  assert.ok((await redis.pttl(key)) <= refreshed, 'read does not slide the TTL');
});

test('an index made persistent by another store stays persistent; a longer one is never shortened', async () => {
  const { sessions, keys } = stores({ sessionTtlMs: 5_000 });
  await redis.sadd(keys.index('v5'), indexMember.srem(keys.pollVoters('abc123')));
  await sessions.apply('show1', 'v5', { kind: 'chat' }, NOW);
  assert.equal(await redis.pttl(keys.index('v5')), -1);
  await redis.sadd(keys.index('v6'), 'del elsewhere');
  await redis.pexpire(keys.index('v6'), 60_000);
  await sessions.apply('show1', 'v6', { kind: 'chat' }, NOW);
  assert.ok((await redis.pttl(keys.index('v6'))) > 59_000);
});

test('topicsSeen keeps the last 10, skipping repeats of the current topic', async () => {
  const { sessions } = stores();
  let topics: string[] = [];
  for (let i = 0; i < 15; i++) {
    for (let j = 0; j < 2; j++) topics = (await sessions.apply('show1', 'v7', { kind: 'heartbeat', watchMs: 1_000, topic: `topic-${i}` }, NOW)).features.topicsSeen;
  }
  assert.deepEqual(topics, Array.from({ length: 10 }, (_, i) => `topic-${i + 5}`));
  topics = (await sessions.apply('show1', 'v7', { kind: 'heartbeat', watchMs: 1_000, topic: 'topic-5' }, NOW)).features.topicsSeen;
  assert.equal(topics.length, 10);
  assert.equal(topics.at(-1), 'topic-5', 'a topic seen again is appended again');
});

test('the profile is kept only with consent, within the retention limit, and withdrawn by a join without consent', async () => {
  const retention = 7 * 24 * 3_600_000;
  const { sessions, profiles, keys } = stores({ profileRetentionMs: retention, maxProfileTopics: 3 });
  await sessions.apply('show1', 'anon', { kind: 'join', join: JOIN }, NOW);
  await sessions.apply('show1', 'anon', { kind: 'heartbeat', watchMs: 10_000, topic: 'shipping' }, NOW);
  await sessions.apply('show1', 'anon', { kind: 'click', templateId: 't1' }, NOW);
  assert.equal(await profiles.read('anon'), undefined, 'no consent, no profile');
  assert.equal(await redis.exists(keys.profile('anon')), 0);

  await sessions.apply('show1', 'fan', { kind: 'join', join: { ...JOIN, consent: true } }, NOW);
  for (const topic of ['shipping', 'shipping', 'pricing', 'shipping', 'colours', 'returns', 'returns']) {
    await sessions.apply('show1', 'fan', { kind: 'heartbeat', watchMs: 10_000, topic }, NOW + 1_000);
  }
  await sessions.apply('show1', 'fan', { kind: 'heartbeat', watchMs: 0, topic: 'idle' }, NOW + 1_500);
  await sessions.apply('show1', 'fan', { kind: 'click', templateId: 't1' }, NOW + 2_000);
  await sessions.apply('show2', 'fan', { kind: 'join', join: { ...JOIN, consent: true } }, NOW + 3_000);
  await sessions.apply('show2', 'fan', { kind: 'click', templateId: 't2' }, NOW + 4_000);
  await sessions.apply('show2', 'fan', { kind: 'join', join: { ...JOIN, consent: true } }, NOW + 5_000);
  const profile = await profiles.read('fan');
  assert.deepEqual(profile, {
    firstSeenMs: NOW,
    lastSeenMs: NOW + 5_000,
    totalClicks: 2,
    showsWatched: 2,
    topicAffinities: { shipping: 3, pricing: 1, returns: 2 },
  }, 'bounded to 3 topics: the least-watched goes (ties by name), no affinity without watch time');
  const pttl = await redis.pttl(keys.profile('fan'));
  assert.ok(pttl > retention - 5_000 && pttl <= retention, String(pttl));
  assert.ok((await redis.pttl(keys.index('fan'))) >= pttl, 'the index outlives the profile');
  assert.ok((await redis.smembers(keys.index('fan'))).includes(indexMember.del(keys.profile('fan'))));

  const withdrawn = await sessions.apply('show2', 'fan', { kind: 'join', join: { ...JOIN, consent: false } }, NOW + 6_000);
  assert.equal(withdrawn.join?.consent, false);
  assert.equal(await profiles.read('fan'), undefined, 'withdrawal deletes the profile');
  assert.ok(!(await redis.smembers(keys.index('fan'))).includes(indexMember.del(keys.profile('fan'))));
  await sessions.apply('show1', 'fan', { kind: 'click', templateId: 't1' }, NOW + 7_000);
  assert.ok((await profiles.read('fan'))?.totalClicks === 1, 'show1 still has the old consent: the session is per show');
  await sessions.apply('show2', 'fan', { kind: 'click', templateId: 't1' }, NOW + 8_000);
  assert.equal((await profiles.read('fan'))?.totalClicks, 1, 'no writes in show2 after withdrawal');
});

test('bad ids and updates are refused before Redis with INVALID_VIEWER_DATA', async () => {
  const { sessions, profiles } = stores();
  const invalid = { code: 'INVALID_VIEWER_DATA' };
  await assert.rejects(sessions.apply('show 1', 'v', { kind: 'chat' }, NOW), invalid);
  await assert.rejects(sessions.apply('show1', 'v:1', { kind: 'chat' }, NOW), invalid);
  await assert.rejects(sessions.apply('show1', 'v', { kind: 'click', templateId: 'a b' }, NOW), invalid);
  await assert.rejects(sessions.apply('show1', 'v', { kind: 'heartbeat', watchMs: -1 }, NOW), invalid);
  await assert.rejects(sessions.apply('show1', 'v', { kind: 'heartbeat', watchMs: 1, topic: 'a\nb' }, NOW), invalid);
  await assert.rejects(sessions.apply('show1', 'v', { kind: 'vote', pollId: 'abc123', option: 'x'.repeat(121) }, NOW), invalid);
  await assert.rejects(sessions.apply('show1', 'v', { kind: 'nope' } as never, NOW), invalid);
  await assert.rejects(profiles.read(''), invalid);
});

test('against a paused or stopped Redis, apply and read reject within a bound instead of hanging', async () => {
  const server = await privateRedis();
  const dedicated = await connectViewerStoreRedis(server.url);
  // Like the shared client: offline queue on, retries: only the store's own timeout bounds it.
  const shared = new Redis(server.url, { maxRetriesPerRequest: 2, connectTimeout: 3_000 });
  shared.on('error', () => undefined);
  try {
    const prefix = `test-sessions-${randomBytes(6).toString('hex')}`;
    const onDedicated = new SessionStore(dedicated, { prefix });
    const onShared = new SessionStore(shared, { prefix, timeoutMs: 300 });
    await onDedicated.apply('show1', 'v', { kind: 'chat' }, NOW);
    await onShared.apply('show1', 'v', { kind: 'chat' }, NOW);
    // Connected but not answering: only the timeout can tell.
    await dedicated.client('PAUSE', 1_000, 'ALL');
    for (const store of [onDedicated, onShared]) {
      const started = performance.now();
      await assert.rejects(store.apply('show1', 'v', { kind: 'chat' }, NOW), { code: 'VIEWER_STORE_UNAVAILABLE', message: /no reply within|timed out/ });
      assert.ok(performance.now() - started < 1_000);
    }
    await server.stop();
    for (const store of [onDedicated, onShared]) {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await assert.rejects(store.apply('show1', 'v', { kind: 'heartbeat', watchMs: 1_000 }, NOW), { code: 'VIEWER_STORE_UNAVAILABLE' });
        await assert.rejects(store.read('show1', 'v'), { code: 'VIEWER_STORE_UNAVAILABLE' });
        const elapsed = performance.now() - started;
        assert.ok(elapsed < 1_000, `${elapsed.toFixed(0)} ms`);
      }
    }
  } finally {
    dedicated.disconnect();
    shared.disconnect();
    await server.stop();
  }
});

test('apply latency on the local Redis', async (t) => {
  const { sessions } = stores();
  await sessions.apply('show1', 'bench', { kind: 'join', join: { ...JOIN, consent: true } }, NOW);
  const samples: number[] = [];
  for (let i = 0; i < 1_000; i++) {
    const started = performance.now();
    await sessions.apply('show1', 'bench', { kind: 'heartbeat', watchMs: 1_000, topic: `t${i % 12}` }, NOW + i);
    samples.push(performance.now() - started);
  }
  const summary = summarize(samples);
  t.diagnostic(formatSummary('SessionStore.apply (heartbeat, consent, sequential)', summary));
  assert.ok(summary.p50 < 20, 'sanity only: a shared 2-core machine');
});
