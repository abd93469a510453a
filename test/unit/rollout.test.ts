import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { RolloutRefusedError } from '../../server/experiments/errors.js';
import {
  parseExperimentConfig,
  type ExperimentConfig,
} from '../../server/experiments/ExperimentConfig.js';
import { assignArm } from '../../server/experiments/assignArm.js';
import { judgeGuardrail } from '../../server/experiments/guardrail.js';
import { Rollout } from '../../server/experiments/Rollout.js';
import type { RolloutTransition } from '../../server/experiments/RolloutState.js';
import { RolloutStore } from '../../server/experiments/RolloutStore.js';

const prefix = `test:rollout:${randomBytes(6).toString('hex')}`;
let redis: Redis;
let store: RolloutStore;
let clock = 1_000_000;
const now = () => clock;

before(() => {
  redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  store = new RolloutStore(redis, prefix);
});

after(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

function experiment(overrides: Record<string, unknown> = {}): ExperimentConfig {
  return parseExperimentConfig({
    salt: 'exp',
    control: { modelVersion: 'v1' },
    treatment: { modelVersion: 'v2' },
    ...overrides,
  });
}

const refusedWith = (code: string) => (error: unknown) =>
  error instanceof RolloutRefusedError && error.code === code;
const arms = (control: [number, number], treatment: [number, number]) => ({
  control: { clicks: control[0], impressions: control[1] },
  treatment: { clicks: treatment[0], impressions: treatment[1] },
});
let shows = 0;
const newShow = () => `show${++shows}`;

test('advance walks the ladder 1 → 5 → 20 → 50 → 100 with events and history, then refuses at the end', async () => {
  const rollout = await Rollout.open(store, newShow(), experiment(), { now });
  const changes: RolloutTransition[] = [];
  rollout.on('stagechange', (t) => changes.push(t));
  assert.equal(rollout.percent, 1);
  for (const expected of [5, 20, 50, 100]) {
    clock += 1_000;
    await rollout.advance('looks good');
    assert.equal(rollout.percent, expected);
  }
  assert.deepEqual(
    changes.map((t) => [t.from.percent, t.to.percent]),
    [
      [1, 5],
      [5, 20],
      [20, 50],
      [50, 100],
    ],
  );
  assert.equal(rollout.state.history.length, 4);
  assert.equal(rollout.state.history[0]!.why, 'looks good');
  await assert.rejects(rollout.advance(), refusedWith('ROLLOUT_COMPLETE'));
  assert.equal(rollout.assign('anyone').arm === 'control', false, 'at 100% there is no control');
});

test('paused: advance is refused until resumed; resume while running is refused', async () => {
  const rollout = await Rollout.open(store, newShow(), experiment(), { now });
  const seen: string[] = [];
  rollout.on('paused', (reason) => seen.push(`paused:${reason}`));
  rollout.on('resumed', () => seen.push('resumed'));
  await assert.rejects(rollout.resume(), refusedWith('ROLLOUT_NOT_PAUSED'));
  await rollout.pause('checking a complaint');
  assert.equal(rollout.state.paused, true);
  assert.equal(rollout.state.pausedReason, 'checking a complaint');
  await assert.rejects(rollout.advance(), refusedWith('ROLLOUT_PAUSED'));
  assert.equal(rollout.percent, 1);
  await rollout.resume();
  await rollout.advance();
  assert.equal(rollout.percent, 5);
  assert.deepEqual(seen, ['paused:checking a complaint', 'resumed']);
});

test('the guardrail waits for enough impressions, then auto-pauses on sequential evidence quoting both CTRs', async () => {
  const rollout = await Rollout.open(
    store,
    newShow(),
    experiment({ guardrail: { maxRelativeDrop: 0.2, minImpressionsPerArm: 200 } }),
    { now },
  );
  const reasons: string[] = [];
  rollout.on('paused', (reason) => reasons.push(reason));

  const early = await rollout.evaluateGuardrail(arms([10, 400], [0, 150]));
  assert.equal(early.status, 'insufficient_data');
  assert.equal(early.action, 'none');

  const fine = await rollout.evaluateGuardrail(arms([10, 400], [9, 400]));
  assert.equal(fine.status, 'healthy', 'a 10% drop on 400 impressions is no evidence');

  const noisy = await rollout.evaluateGuardrail(arms([50, 1_000], [30, 1_000]));
  assert.equal(
    noisy.status,
    'healthy',
    '3% vs 5% on 1 000 each: not yet beyond chance for an anytime-valid test',
  );
  assert.ok(noisy.sequential!.likelihoodRatio < 20);

  const bad = await rollout.evaluateGuardrail(arms([250, 5_000], [150, 5_000]));
  assert.equal(bad.status, 'breached');
  assert.equal(bad.cause, 'ctr');
  assert.equal(bad.action, 'paused');
  assert.equal(rollout.state.paused, true);
  assert.equal(reasons.length, 1);
  assert.match(reasons[0]!, /treatment CTR 3\.00% \(150\/5000\)/);
  assert.match(reasons[0]!, /control CTR 5\.00% \(250\/5000\)/);
  assert.match(reasons[0]!, /evidence [\d.]+ ≥ 20, α 0\.05/);
  assert.equal(rollout.state.pausedReason, reasons[0]);
  assert.equal(
    rollout.guardrail?.action,
    'paused',
    'the latest verdict is kept for the host panel',
  );

  const again = await rollout.evaluateGuardrail(arms([250, 5_000], [150, 5_000]));
  assert.equal(again.action, 'none', 'already paused: no second pause');
  assert.equal(reasons.length, 1);
  await assert.rejects(rollout.advance(), refusedWith('ROLLOUT_PAUSED'));
});

test('the guardrail judges evidence, not point estimates: the same 21% drop is healthy on little data, breached on much', () => {
  const config = experiment().guardrail;
  assert.equal(judgeGuardrail(config, arms([100, 1_000], [79, 1_000])).status, 'healthy');
  assert.equal(judgeGuardrail(config, arms([1_000, 10_000], [790, 10_000])).status, 'breached');
  assert.equal(judgeGuardrail(config, arms([100, 1_000], [79, 199])).status, 'insufficient_data');
  const strict = experiment({ guardrail: { alpha: 1e-6 } }).guardrail;
  assert.equal(
    judgeGuardrail(strict, arms([1_000, 10_000], [790, 10_000])).status,
    'healthy',
    'a smaller α needs more evidence',
  );
});

test('auto-advance: only when healthy, after minImpressions in treatment within the stage and minStageMs', async () => {
  const config = experiment({
    guardrail: { minImpressionsPerArm: 100 },
    autoAdvance: { enabled: true, minStageMs: 10_000 },
  });
  const rollout = await Rollout.open(store, newShow(), config, { now });
  assert.equal(
    (await rollout.evaluateGuardrail(arms([5, 100], [5, 100]))).action,
    'none',
    'the stage baseline is set at 100',
  );
  assert.equal(
    (await rollout.evaluateGuardrail(arms([10, 200], [10, 199]))).action,
    'none',
    'only 99 in the stage',
  );
  assert.equal(
    (await rollout.evaluateGuardrail(arms([10, 200], [10, 200]))).action,
    'none',
    'the stage is too young',
  );
  clock += 10_000;
  const verdict = await rollout.evaluateGuardrail(arms([10, 200], [10, 200]));
  assert.equal(verdict.action, 'advanced');
  assert.equal(rollout.percent, 5);
  assert.match(rollout.state.history.at(-1)!.why, /^auto: guardrail healthy/);
  clock += 10_000;
  assert.equal(
    (await rollout.evaluateGuardrail(arms([10, 200], [10, 250]))).action,
    'none',
    'the new stage has 50 of its own',
  );
  assert.equal((await rollout.evaluateGuardrail(arms([10, 200], [15, 300]))).action, 'advanced');
  assert.equal(rollout.percent, 20);
});

test('state persists in Redis: a restart resumes the stage, pause and history; a new experiment starts over', async () => {
  const showId = newShow();
  const first = await Rollout.open(store, showId, experiment(), { now });
  await first.advance('to 5');
  await first.advance('to 20');
  await first.pause('holding for the weekend');
  const hash = await redis.hgetall(store.key(showId));
  assert.equal(hash.stageIndex, '2');
  assert.equal(hash.paused, '1');

  const restarted = await Rollout.open(store, showId, experiment(), { now });
  assert.equal(restarted.percent, 20);
  assert.equal(restarted.state.paused, true);
  assert.equal(restarted.state.pausedReason, 'holding for the weekend');
  assert.deepEqual(restarted.state.history, first.state.history);
  assert.deepEqual(restarted.assign('viewer-1'), first.assign('viewer-1'));

  const newVersion = await Rollout.open(
    store,
    showId,
    experiment({ treatment: { modelVersion: 'v3' } }),
    { now },
  );
  assert.equal(newVersion.percent, 1);
  assert.equal(newVersion.state.paused, false);
  assert.deepEqual(newVersion.state.history, []);
});

test('an unreadable stored state opens paused rather than exposing more viewers', async () => {
  const showId = newShow();
  await redis.hset(store.key(showId), {
    experimentKey: 'x',
    stageIndex: 'three',
    paused: 'maybe',
    history: '{',
  });
  const rollout = await Rollout.open(store, showId, experiment(), { now });
  assert.equal(rollout.state.paused, true);
  assert.equal(rollout.percent, 1);
  assert.match(rollout.state.pausedReason!, /unreadable/);
});

test('Redis away: advance is refused with ROLLOUT_STORE_UNAVAILABLE, a pause still takes effect and is saved later', async () => {
  const showId = newShow();
  const flaky = new Redis('redis://127.0.0.1:6379', {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  await flaky.connect();
  const flakyStore = new RolloutStore(flaky, prefix);
  const rollout = await Rollout.open(flakyStore, showId, experiment(), { now });
  const original = flaky.multi.bind(flaky);
  flaky.multi = (() => {
    const multi = original();
    multi.exec = () => Promise.reject(new Error('Connection is closed.'));
    return multi;
  }) as typeof flaky.multi;

  await assert.rejects(rollout.advance(), refusedWith('ROLLOUT_STORE_UNAVAILABLE'));
  assert.equal(rollout.percent, 1, 'not advanced');
  const verdict = await rollout.evaluateGuardrail(arms([50, 1_000], [10, 1_000]));
  assert.equal(verdict.action, 'paused');
  assert.equal(rollout.state.paused, true);
  assert.equal(rollout.stats.persistFailures >= 1, true);
  assert.equal(await redis.hget(store.key(showId), 'paused'), '0', 'Redis still has the old state');

  flaky.multi = original;
  await rollout.evaluateGuardrail(arms([50, 1_000], [10, 1_000]));
  assert.equal(await redis.hget(store.key(showId), 'paused'), '1', 'saved on the next evaluation');
  flaky.disconnect();
});

test('Rollout.open refuses with ROLLOUT_STORE_UNAVAILABLE when Redis does not answer', async () => {
  const dead = new Redis('redis://127.0.0.1:1', {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  dead.on('error', () => undefined);
  await assert.rejects(
    Rollout.open(new RolloutStore(dead, prefix), newShow(), experiment()),
    refusedWith('ROLLOUT_STORE_UNAVAILABLE'),
  );
  dead.disconnect();
});

test("a sample-ratio mismatch of the stage's viewers pauses with a reason, persists, and resume starts a fresh count", async () => {
  const showId = newShow();
  const config = experiment({ holdoutPercent: 0, stages: [50, 100] });
  const rollout = await Rollout.open(store, showId, config, { now });
  assert.deepEqual(rollout.expectedShares, { holdout: 0, control: 0.5, treatment: 0.5 });
  // A skewed stream of viewers (as a bot or a client failing in one arm would make): 52/48.
  const byArm: Record<'control' | 'treatment', string[]> = { control: [], treatment: [] };
  for (let i = 0; byArm.control.length < 5_200 || byArm.treatment.length < 4_800; i++) {
    const id = `viewer-${i}`;
    const { arm } = assignArm(id, { config, rolloutPercent: 50 });
    if (arm !== 'holdout') byArm[arm].push(id);
  }
  const healthyCtr = arms([50, 1_000], [50, 1_000]);
  for (const id of byArm.treatment.slice(0, 4_800)) rollout.assign(id);
  for (const id of byArm.control.slice(0, 2_000)) rollout.assign(id);
  for (const id of byArm.control.slice(0, 2_000)) rollout.assign(id); // reconnects count once
  assert.deepEqual(rollout.stageAssignments, { holdout: 0, control: 2_000, treatment: 4_800 });
  for (const id of byArm.control.slice(2_000, 5_200)) rollout.assign(id);

  const verdict = await rollout.evaluateGuardrail(healthyCtr);
  assert.equal(verdict.status, 'breached');
  assert.equal(verdict.cause, 'srm');
  assert.equal(verdict.action, 'paused');
  assert.ok(verdict.srm!.pValue < 0.001);
  assert.match(
    rollout.state.pausedReason!,
    /^sample ratio mismatch: viewers holdout 0, control 5200, treatment 4800 against the configured holdout 0\.00%, control 50\.00%, treatment 50\.00%/,
  );
  await assert.rejects(rollout.advance(), refusedWith('ROLLOUT_PAUSED'));

  const restarted = await Rollout.open(store, showId, config, { now });
  assert.equal(restarted.state.paused, true);
  assert.equal(restarted.state.pausedReason, rollout.state.pausedReason);

  await rollout.resume('investigated: a crawler, now blocked');
  assert.deepEqual(rollout.stageAssignments, { holdout: 0, control: 0, treatment: 0 });
  for (const id of [...byArm.control.slice(0, 3_000), ...byArm.treatment.slice(0, 3_000)])
    rollout.assign(id);
  const fair = await rollout.evaluateGuardrail(healthyCtr);
  assert.equal(fair.status, 'healthy');
  assert.equal(fair.srm!.status, 'ok');
  await rollout.advance();
  assert.equal(rollout.percent, 100);
  assert.deepEqual(
    rollout.stageAssignments,
    { holdout: 0, control: 0, treatment: 0 },
    'a new stage counts afresh',
  );
  assert.equal(await redis.hget(store.key(showId), 'stageIndex'), '1');
  assert.deepEqual(
    rollout.state.history.map((t) => [t.to.percent, t.to.paused]),
    [
      [50, true],
      [50, false],
      [100, false],
    ],
  );
});
