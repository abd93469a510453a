import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { ArmMetrics } from '../../server/experiments/ArmMetrics.js';
import { parseExperimentConfig } from '../../server/experiments/ExperimentConfig.js';
import { guardRollout } from '../../server/experiments/guardRollout.js';
import { Rollout } from '../../server/experiments/Rollout.js';
import { RolloutStore } from '../../server/experiments/RolloutStore.js';
import {
  armCosts,
  DEFAULT_COST_MODEL,
  type ArmUsage,
  type CostModel,
} from '../../server/experiments/costModel.js';
import { InvalidArmEventError } from '../../server/experiments/errors.js';
import { relativeLift, wilsonInterval } from '../../server/experiments/intervals.js';
import { summarize, formatSummary } from '../../lib/percentiles.js';
import type { Arm } from '../../server/decisions/types.js';
import { privateRedis, waitUntil, type PrivateRedis } from '../helpers/batch.js';

const prefix = `test:arms:${randomBytes(6).toString('hex')}`;
let redis: Redis;
const open: ArmMetrics[] = [];
let privateServer: PrivateRedis | undefined;

before(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
});

after(async () => {
  for (const metrics of open) await metrics.close(200);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await privateServer?.stop();
});

function metricsOn(
  client: Redis,
  options: Partial<ConstructorParameters<typeof ArmMetrics>[1]> = {},
): ArmMetrics {
  const metrics = new ArmMetrics(client, { prefix, flushEveryMs: 60_000, ...options });
  open.push(metrics);
  return metrics;
}

const close = (actual: number, expected: number, digits = 4) =>
  assert.equal(actual.toFixed(digits), expected.toFixed(digits));

test('Wilson score intervals match published values (Newcombe 1998, Table I)', () => {
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, lo, hi] of cases) {
    const [l, h] = wilsonInterval(x, n);
    close(l, lo);
    close(h, hi);
  }
  assert.deepEqual(wilsonInterval(0, 0), [0, 1]);
  const [l, h] = wilsonInterval(5, 10);
  close(l + h, 1, 10); // symmetric around one half
});

test('relative lift: the ratio minus one, with a Katz log-ratio interval that contains it', () => {
  const lift = relativeLift(60, 1_000, 40, 1_000)!;
  close(lift.lift, 0.5);
  // se = sqrt(1/60 - 1/1000 + 1/40 - 1/1000) = 0.20000; exp(ln 1.5 ± 1.96 se) − 1
  close(
    lift.ci95[0],
    1.5 * Math.exp(-1.959964 * Math.sqrt(1 / 60 - 1 / 1_000 + 1 / 40 - 1 / 1_000)) - 1,
  );
  assert.ok(lift.ci95[0] < 0.5 && lift.ci95[1] > 0.5);
  assert.equal(relativeLift(10, 100, 0, 100), undefined);
});

test('the cost model splits stream minutes by watch share and charges decisions to their arm', () => {
  const model: CostModel = {
    currency: 'USD',
    perDecision: 0.001,
    perRenderedMinute: 0.1,
    perEncodedMinute: 0.05,
  };
  const usage = (decisions: number, watchMinutes: number, clicks: number): ArmUsage => ({
    decisions,
    watchMinutes,
    clicks,
  });
  const costs = armCosts(
    { holdout: usage(100, 10, 0), control: usage(300, 30, 3), treatment: usage(600, 60, 12) },
    { renderedMinutes: 20, encodedMinutes: 40 },
    model,
  );
  close(costs.treatment.decisions, 0.6);
  close(costs.treatment.rendered, 0.6 * 20 * 0.1);
  close(costs.treatment.encoded, 0.6 * 40 * 0.05);
  close(costs.treatment.total, 0.6 + 1.2 + 1.2);
  close(costs.treatment.perSuccessfulAction!, 3 / 12);
  assert.equal(costs.holdout.perSuccessfulAction, null);
  const allocated = costs.holdout.rendered + costs.control.rendered + costs.treatment.rendered;
  close(allocated, 20 * 0.1, 9);
  assert.ok(
    DEFAULT_COST_MODEL.perDecision > 0 &&
      DEFAULT_COST_MODEL.perDecision < DEFAULT_COST_MODEL.perEncodedMinute / 1e3,
  );
});

test('counters flush in one MULTI and a snapshot merges Redis totals with what is not flushed yet', async () => {
  const metrics = metricsOn(redis);
  const showId = 'flush';
  for (let i = 0; i < 10; i++) metrics.recordDecision(showId, 'treatment', 0.5);
  for (let i = 0; i < 8; i++) metrics.recordImpression(showId, 'treatment', 'ledger-card');
  metrics.recordClick(showId, 'treatment');
  metrics.recordWatch(showId, 'treatment', 90_000);
  await metrics.flush();
  const hash = await redis.hgetall(metrics.key(showId));
  assert.equal(hash['treatment:decisions'], '10');
  assert.equal(hash['treatment:impressions'], '8');
  assert.equal(hash['tpl:ledger-card'], '8');
  assert.equal(hash['treatment:latencyUs'], '5000');
  assert.ok(Number(await redis.pttl(metrics.key(showId))) > 0, 'the hash has a retention');

  metrics.recordImpression(showId, 'treatment', 'ledger-card');
  metrics.recordClick(showId, 'treatment');
  await redis.hincrby(metrics.key(showId), 'control:impressions', 5); // another process's counts
  const snapshot = await metrics.snapshot(showId);
  assert.equal(snapshot.source, 'redis');
  assert.equal(snapshot.treatment.impressions, 9);
  assert.equal(snapshot.treatment.clicks, 2);
  assert.equal(snapshot.control.impressions, 5);
  close(snapshot.treatment.ctr!, 2 / 9);
  assert.deepEqual(snapshot.treatment.ctrCi95, wilsonInterval(2, 9));
  close(snapshot.treatment.watchMinutes, 1.5);
  close(snapshot.treatment.meanDecisionLatencyMs!, 0.5);
  assert.equal(snapshot.holdout.ctr, null);
  assert.equal(snapshot.impressionsByTemplate['ledger-card'], 9);
  assert.equal(snapshot.latency.count, 10);
});

test('impressionsByTemplate is in memory (no Redis call), current before a flush, and restored by hydrate after a restart', async () => {
  const showId = 'templates';
  const first = metricsOn(redis);
  const live = first.impressionsByTemplate(showId);
  first.recordImpression(showId, 'control', 'promo-a');
  first.recordImpression(showId, 'holdout', 'promo-a');
  first.recordImpression(showId, 'treatment', 'promo-b');
  assert.deepEqual(
    { ...live },
    { 'promo-a': 2, 'promo-b': 1 },
    'the same record, updated in place',
  );
  await first.close();

  const restarted = metricsOn(redis);
  await restarted.hydrate(showId);
  restarted.recordImpression(showId, 'control', 'promo-a');
  assert.deepEqual({ ...restarted.impressionsByTemplate(showId) }, { 'promo-a': 3, 'promo-b': 1 });
});

test('a snapshot reports holdout lift with an interval, or a note while there are too few impressions', async () => {
  const metrics = metricsOn(redis, { minImpressionsForLift: 100 });
  const showId = 'lift';
  const record = (arm: Arm, impressions: number, clicks: number) => {
    for (let i = 0; i < impressions; i++) metrics.recordImpression(showId, arm);
    for (let i = 0; i < clicks; i++) metrics.recordClick(showId, arm);
  };
  record('holdout', 50, 2);
  const early = await metrics.snapshot(showId);
  assert.equal(early.holdoutLift.lift, null);
  assert.match(early.holdoutLift.note!, /too few impressions/);

  record('holdout', 950, 38); // 40 / 1000
  record('control', 600, 30);
  record('treatment', 400, 30); // personalised: 60 / 1000
  metrics.recordWatch(showId, 'holdout', 60_000);
  metrics.recordWatch(showId, 'treatment', 180_000);
  metrics.recordStream(showId, { renderedMs: 120_000, encodedMs: 240_000 });
  const snapshot = await metrics.snapshot(showId);
  close(snapshot.holdoutLift.lift!, 0.5);
  assert.deepEqual(snapshot.holdoutLift.ci95, relativeLift(60, 1_000, 40, 1_000)!.ci95);
  close(snapshot.stream.renderedMinutes, 2);
  close(snapshot.treatment.cost.rendered, 0.75 * 2 * DEFAULT_COST_MODEL.perRenderedMinute, 12);
  close(snapshot.treatment.cost.perSuccessfulAction!, snapshot.treatment.cost.total / 30, 12);
  assert.equal(snapshot.control.cost.rendered, 0, 'control watched nothing');
});

test('bad input gets INVALID_ARM_EVENT', () => {
  const metrics = metricsOn(redis);
  const invalid = (error: unknown) =>
    error instanceof InvalidArmEventError && error.code === 'INVALID_ARM_EVENT';
  assert.throws(() => metrics.recordClick('show', 'everyone' as Arm), invalid);
  assert.throws(() => metrics.recordClick('bad show id', 'control'), invalid);
  assert.throws(() => metrics.recordDecision('show', 'control', Number.NaN), invalid);
  assert.throws(() => metrics.recordWatch('show', 'control', -5), invalid);
  assert.throws(() => metrics.recordImpression('show', 'control', 'tpl with spaces'), invalid);
});

test('Redis stopped mid-show: increments stay pending, snapshots answer from memory, and all reach Redis after the restart', async () => {
  privateServer = await privateRedis();
  const client = new Redis(privateServer.url, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => 100,
  });
  client.on('error', () => undefined);
  const metrics = metricsOn(client, { maxPendingFields: 1_000, snapshotBudgetMs: 300 });
  const showId = 'outage';
  for (let i = 0; i < 100; i++) metrics.recordImpression(showId, 'control', 'promo-a');
  await metrics.flush();

  await privateServer.stop();
  for (let i = 0; i < 50; i++) metrics.recordImpression(showId, 'control', 'promo-a');
  for (let i = 0; i < 7; i++) metrics.recordClick(showId, 'control');
  await metrics.flush();
  assert.ok(metrics.stats.flushFailures >= 1);
  assert.ok(metrics.pendingCount >= 3, 'the increments are pending');
  const during = await metrics.snapshot(showId);
  assert.equal(during.source, 'memory');
  assert.equal(during.control.impressions, 150);
  assert.equal(during.control.clicks, 7);
  assert.equal(metrics.impressionsByTemplate(showId)['promo-a'], 150);

  await privateServer.start();
  await waitUntil(
    async () => {
      await metrics.flush();
      return metrics.pendingCount === 0;
    },
    10_000,
    'the pending increments to reach Redis',
  );
  const hash = await client.hgetall(metrics.key(showId));
  assert.equal(hash['control:impressions'], '150');
  assert.equal(hash['control:clicks'], '7');
  assert.equal(hash['tpl:promo-a'], '150');
  assert.equal((await metrics.snapshot(showId)).source, 'redis');
  assert.equal(metrics.stats.droppedIncrements, 0);
  await metrics.close();
  client.disconnect();
});

test('past the pending bound, new counters are dropped and counted while existing ones keep summing', async () => {
  const dead = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  dead.on('error', () => undefined);
  const metrics = metricsOn(dead, { maxPendingFields: 3, snapshotBudgetMs: 100 });
  for (let i = 0; i < 5; i++) metrics.recordImpression('bounded', 'control', `tpl${i}`);
  await metrics.flush();
  metrics.recordImpression('bounded', 'control', 'tpl0');
  metrics.recordImpression('bounded', 'control', 'tpl9');
  assert.equal(metrics.pendingCount, 3);
  assert.equal(metrics.stats.droppedIncrements, 4); // tpl2, tpl3, tpl4, tpl9
  assert.equal(metrics.impressionsByTemplate('bounded').tpl0, 2);
  assert.equal((await metrics.snapshot('bounded')).control.impressions, 7);
  dead.disconnect();
});

test('recording takes microseconds and never waits on Redis', async () => {
  const metrics = metricsOn(redis);
  const perBatchUs: number[] = [];
  for (let batch = 0; batch < 200; batch++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) {
      metrics.recordDecision('speed', 'treatment', 0.2);
      metrics.recordImpression('speed', 'treatment', 'promo-a');
    }
    perBatchUs.push(Number(process.hrtime.bigint() - started) / 1_000 / 100);
  }
  const summary = summarize(perBatchUs);
  console.log(formatSummary('recordDecision + recordImpression per call pair', summary, 'µs'));
  assert.ok(summary.p50 < 20, `${summary.p50} µs`);
  const flushStarted = performance.now();
  await metrics.flush();
  console.log(`flush of 20,000 call pairs: ${(performance.now() - flushStarted).toFixed(1)} ms`);
  assert.equal((await metrics.snapshot('speed')).treatment.decisions, 20_000);
});

test('guardRollout: live metrics where treatment underperforms pause the rollout by themselves', async () => {
  const metrics = metricsOn(redis);
  const config = parseExperimentConfig({
    salt: 'guard',
    control: { modelVersion: 'v1' },
    treatment: { modelVersion: 'v2' },
    guardrail: { minImpressionsPerArm: 200, maxRelativeDrop: 0.2 },
  });
  const rollout = await Rollout.open(new RolloutStore(redis, prefix), 'guarded', config);
  const stop = guardRollout(rollout, metrics, { everyMs: 20 });
  for (let i = 0; i < 1_000; i++) {
    metrics.recordImpression('guarded', 'control');
    metrics.recordImpression('guarded', 'treatment');
    if (i % 10 === 0) metrics.recordClick('guarded', 'control'); // 10%
    if (i % 20 === 0) metrics.recordClick('guarded', 'treatment'); // 5%
  }
  const reason = await waitUntil(() => rollout.state.pausedReason, 5_000, 'the guardrail to pause');
  stop();
  assert.match(reason, /treatment CTR 5\.00% \(50\/1000\).*control CTR 10\.00% \(100\/1000\)/);
  assert.equal(rollout.state.paused, true);
});
