import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Redis } from 'ioredis';
import type { JoinContext } from '../../server/decisions/types.js';
import { ProfileStore } from '../../server/viewers/ProfileStore.js';
import { connectViewerStoreRedis } from '../../server/viewers/redisCall.js';
import { SessionStore } from '../../server/viewers/SessionStore.js';
import { ViewerDataEraser } from '../../server/viewers/ViewerDataEraser.js';
import { indexMember, viewerKeys, type ViewerKeys } from '../../server/viewers/viewerKeys.js';
import { KeyPrefixes } from '../helpers/keyPrefixes.js';
import { privateRedis } from '../helpers/batch.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const NOW = 1_750_000_000_000;
const CONSENTED: JoinContext = { device: 'desktop', language: 'en', referrer: 'direct', region: 'ES', consent: true };
let redis: Redis;
const prefixes = new KeyPrefixes();

before(async () => {
  redis = await connectViewerStoreRedis(REDIS_URL);
});

after(async () => {
  await prefixes.drop(redis);
  redis.disconnect();
});

function setup() {
  const prefix = prefixes.fresh('eraser');
  return {
    keys: viewerKeys(prefix),
    sessions: new SessionStore(redis, { prefix }),
    profiles: new ProfileStore(redis, { prefix }),
    eraser: new ViewerDataEraser(redis, { prefix }),
  };
}

/** What the audit and poll stores write for a viewer, following viewerKeys.ts. */
async function audit(keys: ViewerKeys, showId: string, viewerId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = (await redis.xadd(keys.auditStream(showId), '*', 'viewerId', viewerId, 'n', String(i)))!;
    await redis.rpush(keys.auditOfViewer(showId, viewerId), id);
    ids.push(id);
  }
  await redis.sadd(keys.index(viewerId), indexMember.xdel(keys.auditStream(showId), keys.auditOfViewer(showId, viewerId)));
  return ids;
}

async function vote(keys: ViewerKeys, pollId: string, viewerId: string) {
  await redis.sadd(keys.pollVoters(pollId), viewerId);
  await redis.sadd(keys.index(viewerId), indexMember.srem(keys.pollVoters(pollId)));
}

test('erase deletes a viewer\'s sessions, profile, audit entries and poll membership in one call, and only theirs', async () => {
  const { keys, sessions, profiles, eraser } = setup();
  for (const viewerId of ['gone', 'stays']) {
    for (const showId of ['show1', 'show2']) {
      await sessions.apply(showId, viewerId, { kind: 'join', join: CONSENTED }, NOW);
      await sessions.apply(showId, viewerId, { kind: 'click', templateId: 't1' }, NOW);
    }
    await vote(keys, 'abc123', viewerId);
  }
  const goneIds = await audit(keys, 'show1', 'gone', 3);
  const staysIds = await audit(keys, 'show1', 'stays', 2);
  await audit(keys, 'show2', 'gone', 1);

  let calls = 0;
  const original = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: unknown[]) => {
    calls++;
    return (original as (...a: unknown[]) => unknown)(...args);
  }) as typeof redis.sendCommand;
  const erased = await eraser.erase('gone').finally(() => (redis.sendCommand = original));
  assert.equal(calls, 1, 'one command');
  // 2 sessions + profile + 2 audit lists
  assert.deepEqual(erased, { keysDeleted: 5, membershipsRemoved: 1, streamEntriesDeleted: 4, membersSkipped: 0 });

  assert.equal(await sessions.read('show1', 'gone'), undefined);
  assert.equal(await sessions.read('show2', 'gone'), undefined);
  assert.equal(await profiles.read('gone'), undefined);
  assert.equal(await redis.exists(keys.index('gone'), keys.auditOfViewer('show1', 'gone'), keys.auditOfViewer('show2', 'gone')), 0);
  assert.equal(await redis.sismember(keys.pollVoters('abc123'), 'gone'), 0);
  const remaining = (await redis.xrange(keys.auditStream('show1'), '-', '+')).map(([id]) => id);
  assert.deepEqual(remaining, staysIds, 'only the other viewer\'s audit entries remain');
  assert.ok(goneIds.every((id) => !remaining.includes(id)));
  assert.equal(await redis.xlen(keys.auditStream('show2')), 0);

  assert.equal((await sessions.read('show1', 'stays'))?.features.ctasClicked, 1);
  assert.equal((await sessions.read('show2', 'stays'))?.join?.consent, true);
  assert.equal((await profiles.read('stays'))?.totalClicks, 2);
  assert.equal(await redis.sismember(keys.pollVoters('abc123'), 'stays'), 1);
  assert.deepEqual(await redis.lrange(keys.auditOfViewer('show1', 'stays'), 0, -1), staysIds);
  assert.equal(await redis.scard(keys.index('stays')), 5);

  assert.deepEqual(await eraser.erase('gone'), { keysDeleted: 0, membershipsRemoved: 0, streamEntriesDeleted: 0, membersSkipped: 0 }, 'erasing twice is harmless');
  assert.deepEqual(await eraser.erase('never-seen'), { keysDeleted: 0, membershipsRemoved: 0, streamEntriesDeleted: 0, membersSkipped: 0 });
});

test('a viewer with thousands of audit entries is erased in one call', async () => {
  const { keys, eraser } = setup();
  const pipeline = redis.pipeline();
  for (let i = 0; i < 3_000; i++) pipeline.xadd(keys.auditStream('show1'), `1-${i + 1}`, 'n', String(i));
  pipeline.rpush(keys.auditOfViewer('show1', 'busy'), ...Array.from({ length: 3_000 }, (_, i) => `1-${i + 1}`));
  pipeline.sadd(keys.index('busy'), indexMember.xdel(keys.auditStream('show1'), keys.auditOfViewer('show1', 'busy')));
  await pipeline.exec();
  const erased = await eraser.erase('busy');
  assert.equal(erased.streamEntriesDeleted, 3_000);
  assert.equal(await redis.xlen(keys.auditStream('show1')), 0);
});

test('malformed members or keys of the wrong type are skipped and counted, the rest is still erased', async () => {
  const { keys, sessions, eraser } = setup();
  await sessions.apply('show1', 'odd', { kind: 'chat' }, NOW);
  await redis.set(`${keys.pollVoters('zzz999')}`, 'not a set');
  await redis.sadd(keys.index('odd'), 'drop everything', 'del', indexMember.srem(keys.pollVoters('zzz999')));
  const erased = await eraser.erase('odd');
  assert.deepEqual(erased, { keysDeleted: 1, membershipsRemoved: 0, streamEntriesDeleted: 0, membersSkipped: 3 });
  assert.equal(await redis.exists(keys.session('show1', 'odd'), keys.index('odd')), 0);
  assert.equal(await redis.get(keys.pollVoters('zzz999')), 'not a set', 'a key shared with others is never deleted by srem');
});

test('viewer ids are validated before Redis', async () => {
  const { eraser } = setup();
  for (const viewerId of ['', 'a b', 'a:b', 'x'.repeat(65), '*', 'é']) {
    await assert.rejects(eraser.erase(viewerId), { code: 'INVALID_VIEWER_DATA' }, viewerId);
  }
});

test('erase against a stopped Redis rejects within a bound', async () => {
  const server = await privateRedis();
  const client = await connectViewerStoreRedis(server.url);
  try {
    const eraser = new ViewerDataEraser(client, { prefix: 'test-eraser-down' });
    await server.stop();
    const started = performance.now();
    await assert.rejects(eraser.erase('v1'), { code: 'VIEWER_STORE_UNAVAILABLE' });
    assert.ok(performance.now() - started < 1_000);
  } finally {
    client.disconnect();
    await server.stop();
  }
});
