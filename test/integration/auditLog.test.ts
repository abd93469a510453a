import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { formatSummary, summarize } from '../../lib/percentiles.js';
import { AuditLog, type AuditLogOptions } from '../../server/audit/AuditLog.js';
import type { AuditDecisionRow, AuditRow } from '../../server/audit/auditRows.js';
import { AuditError } from '../../server/audit/errors.js';
import type { Decision, DecisionContext } from '../../server/decisions/types.js';
import { ViewerDataEraser } from '../../server/viewers/ViewerDataEraser.js';
import { indexMember, viewerKeys } from '../../server/viewers/viewerKeys.js';
import { KeyPrefixes } from '../helpers/keyPrefixes.js';
import { privateRedis, waitUntil, type PrivateRedis } from '../helpers/batch.js';

let redis: Redis;
const prefixes = new KeyPrefixes();
const logs: AuditLog[] = [];
let privateServer: PrivateRedis | undefined;

before(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});

after(async () => {
  for (const log of logs) await log.close(200);
  await prefixes.drop(redis);
  redis.disconnect();
  await privateServer?.stop();
});

function fresh(options: Partial<AuditLogOptions> = {}, client = redis) {
  const prefix = prefixes.fresh('audit');
  const log = new AuditLog(client, { prefix, flushEveryMs: 60_000, ...options });
  logs.push(log);
  return { log, keys: viewerKeys(prefix) };
}

let decisions = 0;
const CONTEXT: DecisionContext = {
  showId: 'show1',
  viewerId: 'v0',
  nowMs: 0,
  trigger: 'heartbeat',
  join: { device: 'desktop', language: 'en', referrer: 'direct', region: 'US', consent: true },
  session: undefined,
  show: { impressionsByTemplate: {}, elapsedMs: 0, plannedDurationMs: 3_600_000 },
};

function decision(viewerId: string, overrides: Partial<Decision> = {}): Decision {
  decisions += 1;
  return {
    id: `d${decisions}`,
    showId: 'show1',
    viewerId,
    atMs: 1_750_000_000_000 + decisions,
    trigger: 'heartbeat',
    placement: 'lower_third_cta',
    templateId: 'ledger-card',
    tier: 'ranker',
    arm: 'treatment',
    modelVersion: 'ranker-v2',
    propensity: 0.85,
    rulesFired: ['frequency_cap:promo-x', 'region_deny:promo-y'],
    score: 0.42,
    latencyMs: 0.31,
    ...overrides,
  };
}

const strip = (row: AuditRow): Record<string, unknown> => {
  const rest: Record<string, unknown> = { ...row };
  delete rest.entryId;
  delete rest.kind;
  return rest;
};
const codeIs = (code: string) => (error: unknown) =>
  error instanceof AuditError && error.code === code;

test('decisions and outcomes become typed rows, queried per show newest first and paged with `before`', async () => {
  const { log } = fresh();
  const written = [
    decision('ana'),
    decision('ben', {
      tier: 'fallback',
      fallbackReason: 'redis_unavailable',
      placement: 'none',
      templateId: undefined,
      arm: 'holdout',
      modelVersion: undefined,
      score: undefined,
      propensity: 1,
      rulesFired: [],
    }),
    decision('ana', { tier: 'explore', propensity: 0.05 }),
  ];
  for (const d of written) log.append(d);
  log.recordOutcome('show1', 'ana', written[0]!.id, 'click', 1_750_000_000_500);
  await log.flush();

  const rows = await log.byShow('show1', { limit: 10 });
  assert.equal(rows.length, 4);
  assert.deepEqual(
    rows.map((r) => r.kind),
    ['outcome', 'decision', 'decision', 'decision'],
  );
  assert.deepEqual(
    rows.slice(1).map(strip),
    [...written].reverse().map((d) => JSON.parse(JSON.stringify(d))),
  );
  assert.deepEqual(strip(rows[0]!), {
    showId: 'show1',
    viewerId: 'ana',
    decisionId: written[0]!.id,
    outcome: 'click',
    atMs: 1_750_000_000_500,
  });
  const fallback = rows[2] as AuditDecisionRow;
  assert.equal(fallback.fallbackReason, 'redis_unavailable');
  assert.deepEqual(fallback.rulesFired, []);

  const page1 = await log.byShow('show1', { limit: 2 });
  const page2 = await log.byShow('show1', { limit: 2, before: page1[1]!.entryId });
  assert.deepEqual(
    [...page1, ...page2].map((r) => r.entryId),
    rows.map((r) => r.entryId),
  );
  assert.deepEqual(await log.byShow('unknown-show'), []);
});

test('per viewer: only that viewer, newest first, with its outcomes; the index lets the eraser remove it in one call', async () => {
  const { log, keys } = fresh({ retentionMs: 3_600_000 });
  for (let i = 0; i < 5; i++) log.append(decision('carla'));
  for (let i = 0; i < 3; i++) log.append(decision('dan'));
  log.recordOutcome('show1', 'carla', 'd1', 'impression');
  await log.flush();

  const carla = await log.byViewer('show1', 'carla', { limit: 100 });
  assert.equal(carla.length, 6);
  assert.ok(carla.every((r) => r.viewerId === 'carla'));
  assert.equal(carla[0]!.kind, 'outcome');
  assert.deepEqual(
    carla.map((r) => r.entryId),
    [...carla.map((r) => r.entryId)].sort().reverse(),
  );
  assert.equal((await log.byViewer('show1', 'carla', { limit: 2 })).length, 2);

  const listKey = keys.auditOfViewer('show1', 'carla');
  assert.deepEqual(await redis.smembers(keys.index('carla')), [
    indexMember.xdel(keys.auditStream('show1'), listKey),
  ]);
  const listTtl = await redis.pttl(listKey);
  const streamTtl = await redis.pttl(keys.auditStream('show1'));
  assert.ok(streamTtl > 3_500_000 && streamTtl <= 3_600_000, `stream TTL ${streamTtl}`);
  assert.ok(listTtl > streamTtl, `the list (TTL ${listTtl}) outlives the rows it names`);
  assert.ok((await redis.pttl(keys.index('carla'))) > listTtl, 'the index outlives the list');

  const prefix = keys.index('x').split(':viewer:')[0]!;
  const erased = await new ViewerDataEraser(redis, { prefix }).erase('carla');
  assert.equal(erased.streamEntriesDeleted, 6);
  assert.deepEqual(await log.byViewer('show1', 'carla'), []);
  assert.equal((await log.byShow('show1')).length, 3, 'dan is untouched');
});

test('the stream is capped (approximate MAXLEN); rows trimmed away are skipped in per-viewer queries; per-viewer lists name every row', async () => {
  const { log, keys } = fresh({ maxLen: 50 });
  for (let i = 0; i < 400; i++) log.append(decision('erin'));
  await log.flush();
  const length = await redis.xlen(keys.auditStream('show1'));
  assert.ok(length >= 50 && length <= 150, `stream length ${length}`);
  assert.equal(await redis.llen(keys.auditOfViewer('show1', 'erin')), 400, 'not capped: the eraser finds every row');
  const rows = await log.byViewer('show1', 'erin', { limit: 500 });
  assert.equal(rows.length, length, 'exactly the rows still in the stream');
  assert.equal(rows[0]!.kind === 'decision' && rows[0]!.id, `d${decisions}`);
});

test('malformed stream entries are skipped, not thrown', async () => {
  const { log, keys } = fresh();
  log.append(decision('fay'));
  await log.flush();
  const stream = keys.auditStream('show1');
  await redis.xadd(stream, '*', 'k', 'decision', 'r', '{not json');
  await redis.xadd(stream, '*', 'k', 'decision', 'r', JSON.stringify({ id: 'x', arm: 'everyone' }));
  await redis.xadd(stream, '*', 'k', 'mystery', 'r', '{}');
  await redis.xadd(stream, '*', 'something', 'else');
  const rows = await log.byShow('show1');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.viewerId, 'fay');
});

test('exportShow yields every row oldest first across pages, ready to join decisions with outcomes', async () => {
  const { log } = fresh();
  for (let i = 0; i < 1_200; i++) {
    const d = decision(`v${i % 37}`);
    log.append(d, { context: { ...CONTEXT, nowMs: i } });
    if (i % 10 === 0) log.recordOutcome('show1', d.viewerId, d.id, 'click');
  }
  await log.flush();
  const rows: AuditRow[] = [];
  for await (const row of log.exportShow('show1')) rows.push(row);
  assert.equal(rows.length, 1_320);
  assert.deepEqual(
    rows.map((r) => r.entryId),
    [...rows.map((r) => r.entryId)].sort(byEntryId),
  );
  const byId = new Map(rows.flatMap((r) => (r.kind === 'decision' ? [[r.id, r] as const] : [])));
  const outcomes = rows.filter((r) => r.kind === 'outcome');
  assert.equal(outcomes.length, 120);
  for (const outcome of outcomes)
    assert.ok(outcome.kind === 'outcome' && byId.has(outcome.decisionId));
  assert.equal((rows[0] as AuditDecisionRow).context?.nowMs, 0);
});

test('bad rows and bad queries get stable codes', async () => {
  const { log } = fresh();
  assert.throws(() => log.append(decision('has space')), codeIs('INVALID_AUDIT_ROW'));
  assert.throws(() => log.append(decision('ok', { showId: '' })), codeIs('INVALID_AUDIT_ROW'));
  assert.throws(
    () => log.recordOutcome('show1', 'ok', 'd1', 'purchase' as 'click'),
    codeIs('INVALID_AUDIT_ROW'),
  );
  for (const limit of [0, 501, 1.5, Number.NaN])
    await assert.rejects(log.byShow('show1', { limit }), codeIs('INVALID_AUDIT_QUERY'));
  await assert.rejects(log.byShow('show1', { before: '+' }), codeIs('INVALID_AUDIT_QUERY'));
  await assert.rejects(log.byViewer('show1', 'a b'), codeIs('INVALID_AUDIT_QUERY'));
  await assert.rejects(log.byShow('show 1'), codeIs('INVALID_AUDIT_QUERY'));
});

test('Redis stopped: appends never block, rows wait in the buffer (bounded, counted) and are written after the restart', async () => {
  privateServer = await privateRedis();
  const client = new Redis(privateServer.url, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  client.on('error', () => undefined);
  const { log, keys } = fresh({ maxBuffered: 100 }, client);
  for (let i = 0; i < 10; i++) log.append(decision('gus'));
  await log.flush();

  await privateServer.stop();
  const started = performance.now();
  for (let i = 0; i < 80; i++) log.append(decision('gus'));
  assert.ok(performance.now() - started < 50, 'appending does not wait on Redis');
  await log.flush();
  assert.ok(log.stats.flushFailures >= 1);
  assert.equal(log.bufferedCount, 80);
  for (let i = 0; i < 30; i++) log.append(decision('gus'));
  assert.equal(log.bufferedCount, 100);
  assert.equal(log.stats.dropped, 10);
  await assert.rejects(log.byShow('show1'), codeIs('AUDIT_UNAVAILABLE'));

  await privateServer.start();
  await waitUntil(
    async () => {
      await log.flush();
      return log.bufferedCount === 0;
    },
    10_000,
    'the buffered rows to reach Redis',
  );
  assert.equal(await client.xlen(keys.auditStream('show1')), 110);
  const ids = (await log.byViewer('show1', 'gus', { limit: 500 })).map((r) =>
    r.kind === 'decision' ? Number(r.id.slice(1)) : 0,
  );
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => b - a),
    'order kept through the outage',
  );
  await log.close();
  client.disconnect();
});

test('append cost and flush time', async () => {
  const { log } = fresh();
  const perAppendUs: number[] = [];
  const rows = Array.from({ length: 5_000 }, (_, i) => decision(`w${i % 100}`));
  for (let batch = 0; batch < 50; batch++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) log.append(rows[batch * 100 + i]!);
    perAppendUs.push(Number(process.hrtime.bigint() - started) / 1_000 / 100);
  }
  console.log(formatSummary('append, per row (batches of 100)', summarize(perAppendUs), 'µs'));
  const started = performance.now();
  await log.flush();
  const flushMs = performance.now() - started;
  console.log(
    `flush of 5,000 rows in one pipeline: ${flushMs.toFixed(1)} ms (${((flushMs * 1_000) / 5_000).toFixed(1)} µs a row)`,
  );
  assert.equal(log.stats.written, 5_000);
  assert.ok(summarize(perAppendUs).p50 < 50);
});

function byEntryId(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am - bm || as - bs;
}

// Issue 16: erasure found rows only through a list capped at 1,000 ids that expired after 30 days,
// while ended shows' streams never expired: older rows, and rows past 1,000, survived erasure.
test('erasing a viewer with 1,500 rows over two shows deletes every one of them, and no one else\'s', async () => {
  const { log, keys } = fresh({ maxLen: 100_000 });
  for (let i = 0; i < 1_500; i++) {
    const showId = i < 1_100 ? 'show1' : 'show2';
    log.append(decision('gus', { showId }));
    if (i % 2 === 0) log.recordOutcome(showId, 'gus', `d${decisions}`, 'impression');
    if (i % 10 === 0) log.append(decision('hal', { showId }));
  }
  while (log.bufferedCount > 0) await log.flush();
  const rowsOf = async (showId: string, viewerId: string) => {
    let count = 0;
    for await (const row of log.exportShow(showId)) if (row.viewerId === viewerId) count++;
    return count;
  };
  assert.equal((await rowsOf('show1', 'gus')) + (await rowsOf('show2', 'gus')), 2_250);
  const prefix = keys.index('x').split(':viewer:')[0]!;
  const erased = await new ViewerDataEraser(redis, { prefix }).erase('gus');
  assert.equal(erased.streamEntriesDeleted, 2_250);
  assert.equal(await rowsOf('show1', 'gus'), 0);
  assert.equal(await rowsOf('show2', 'gus'), 0);
  assert.equal((await rowsOf('show1', 'hal')) + (await rowsOf('show2', 'hal')), 150, 'other viewers keep their rows');
});

test('retention is real: an ended show\'s stream expires, and while it runs rows older than retention are trimmed before their viewer\'s list expires', async () => {
  const { log, keys } = fresh({ retentionMs: 1_000 });
  log.append(decision('ivy'));
  await log.flush();
  const stream = keys.auditStream('show1');
  const streamTtl = await redis.pttl(stream);
  assert.ok(streamTtl > 0 && streamTtl <= 1_000, `the stream of a show that stops writing expires (TTL ${streamTtl})`);
  await new Promise((r) => setTimeout(r, 1_100));
  // A show that goes on: the old row is trimmed exactly, while ivy's list still exists.
  log.append(decision('jay'));
  await log.flush();
  assert.ok((await redis.exists(keys.auditOfViewer('show1', 'ivy'))) === 1, 'the list outlives the row');
  const rows = await log.byShow('show1');
  assert.deepEqual(rows.map((r) => r.viewerId), ['jay']);
  await new Promise((r) => setTimeout(r, 1_100));
  assert.equal(await redis.exists(stream), 0, 'the ended show\'s stream is gone');
});
