import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../lib/prng.js';
import type { Arm, ArmAssignment } from '../../server/decisions/types.js';
import { assignArm, type LiveExperiment } from '../../server/experiments/assignArm.js';
import {
  BUCKETS,
  bucketOf,
  holdoutBucketOf,
  rolloutBucketOf,
} from '../../server/experiments/bucketing.js';
import { InvalidExperimentConfigError } from '../../server/experiments/errors.js';
import {
  DEFAULT_STAGES,
  parseExperimentConfig,
  type ExperimentConfig,
} from '../../server/experiments/ExperimentConfig.js';

const config: ExperimentConfig = parseExperimentConfig({
  salt: 'ranker-v2-vs-v1',
  control: { modelVersion: 'ranker-v1' },
  treatment: { modelVersion: 'ranker-v2' },
});

function randomIds(count: number, seed: number): string[] {
  const random = mulberry32(seed);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  return Array.from({ length: count }, () =>
    Array.from({ length: 12 }, () => alphabet[Math.floor(random() * 64)]).join(''),
  );
}

/** Pearson's chi-square statistic of observed counts against expected counts. */
function chiSquare(observed: number[], expected: number[]): number {
  return observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);
}

const live = (rolloutPercent: number): LiveExperiment => ({ config, rolloutPercent });
const ids = randomIds(100_000, 42);

test('buckets are in 0..9999 and uniform: chi-square over 100 bins below the p = 0.001 critical value', () => {
  for (const salt of ['a', 'ranker-v2-vs-v1:holdout', 'ranker-v2-vs-v1:rollout']) {
    const bins = new Array<number>(100).fill(0);
    for (const id of ids) {
      const bucket = bucketOf(id, salt);
      assert.ok(Number.isInteger(bucket) && bucket >= 0 && bucket < BUCKETS, `bucket ${bucket}`);
      bins[Math.floor(bucket / 100)]! += 1;
    }
    const statistic = chiSquare(
      bins,
      bins.map(() => ids.length / 100),
    );
    assert.ok(
      statistic < 148.23,
      `${salt}: chi-square ${statistic.toFixed(1)} with 99 degrees of freedom`,
    );
  }
});

test('the holdout and rollout buckets are independent: joint 10×10 chi-square below the p = 0.001 critical value', () => {
  const cells = new Array<number>(100).fill(0);
  for (const id of ids) {
    const h = Math.floor(holdoutBucketOf(id, config.salt) / 1_000);
    const r = Math.floor(rolloutBucketOf(id, config.salt) / 1_000);
    cells[h * 10 + r]! += 1;
  }
  const statistic = chiSquare(
    cells,
    cells.map(() => ids.length / 100),
  );
  assert.ok(statistic < 148.23, `chi-square ${statistic.toFixed(1)} with 99 degrees of freedom`);
});

test('each arm gets its target share at every stage (chi-square, 2 dof, p = 0.001) and the holdout is 10%', () => {
  for (const percent of [...DEFAULT_STAGES, 33.3]) {
    const counts: Record<Arm, number> = { holdout: 0, control: 0, treatment: 0 };
    for (const id of ids) counts[assignArm(id, live(percent)).arm] += 1;
    const holdout = config.holdoutPercent / 100;
    const expected = [
      holdout,
      (1 - holdout) * (1 - percent / 100),
      (1 - holdout) * (percent / 100),
    ].map((p) => p * ids.length);
    const observed = [counts.holdout, counts.control, counts.treatment];
    // A cell expected to be empty (control at 100%) must be exactly empty; the rest go into the test.
    expected.forEach((e, i) => e === 0 && assert.equal(observed[i], 0));
    const kept = expected.flatMap((e, i) => (e > 0 ? [{ o: observed[i]!, e }] : []));
    const statistic = chiSquare(
      kept.map((c) => c.o),
      kept.map((c) => c.e),
    );
    assert.ok(
      statistic < 13.82,
      `${percent}%: ${JSON.stringify(counts)}, chi-square ${statistic.toFixed(2)}`,
    );
  }
});

test('assignment is sticky: the same id and salt give the same answer, call after call', () => {
  for (const id of ids.slice(0, 2_000)) {
    const first = assignArm(id, live(20));
    assert.deepEqual(assignArm(id, live(20)), first);
    assert.deepEqual(assignArm(id, { config: structuredClone(config), rolloutPercent: 20 }), first);
  }
});

test('monotonic over the whole stage ladder: a treatment viewer never goes back to control', () => {
  for (const id of ids) {
    let treated = false;
    for (const percent of [0, ...DEFAULT_STAGES]) {
      const { arm } = assignArm(id, live(percent));
      if (treated) assert.equal(arm, 'treatment', `${id} left treatment at ${percent}%`);
      treated ||= arm === 'treatment';
    }
  }
});

test('monotonic under random rollout increases, including fractional percentages', () => {
  const random = mulberry32(7);
  const sample = ids.slice(0, 3_000);
  for (let ladder = 0; ladder < 30; ladder++) {
    const percents = Array.from({ length: 8 }, () => Math.round(random() * 10_000) / 100).sort(
      (a, b) => a - b,
    );
    const treated = new Set<string>();
    for (const percent of percents) {
      const now = new Set(sample.filter((id) => assignArm(id, live(percent)).arm === 'treatment'));
      for (const id of treated)
        assert.ok(
          now.has(id),
          `${id} left treatment at ${percent}% (ladder ${percents.join(', ')})`,
        );
      treated.clear();
      for (const id of now) treated.add(id);
    }
  }
});

test('holdout membership and buckets never depend on the rollout percentage', () => {
  for (const id of ids.slice(0, 20_000)) {
    const reference = assignArm(id, live(0));
    for (const percent of DEFAULT_STAGES) {
      const assignment: ArmAssignment = assignArm(id, live(percent));
      assert.equal(assignment.arm === 'holdout', reference.arm === 'holdout');
      assert.equal(assignment.holdoutBucket, reference.holdoutBucket);
      assert.equal(assignment.rolloutBucket, reference.rolloutBucket);
    }
  }
});

test('model versions: treatment and control carry theirs, the holdout none; at 100% no one is in control', () => {
  const seen = new Map<Arm, ArmAssignment>();
  for (const id of ids.slice(0, 1_000)) {
    const assignment = assignArm(id, live(50));
    seen.set(assignment.arm, assignment);
    assert.notEqual(assignArm(id, live(100)).arm, 'control');
  }
  assert.equal(seen.get('holdout')!.modelVersion, undefined);
  assert.equal(seen.get('control')!.modelVersion, 'ranker-v1');
  assert.equal(seen.get('treatment')!.modelVersion, 'ranker-v2');
});

test('another salt reshuffles the viewers: its treatment set overlaps the first no more than chance', () => {
  const other: LiveExperiment = {
    config: { ...config, salt: 'another-experiment' },
    rolloutPercent: 50,
  };
  let both = 0;
  let first = 0;
  for (const id of ids) {
    const a = assignArm(id, live(50)).arm === 'treatment';
    first += a ? 1 : 0;
    both += a && assignArm(id, other).arm === 'treatment' ? 1 : 0;
  }
  const overlap = both / first;
  assert.ok(Math.abs(overlap - 0.45) < 0.02, `overlap ${overlap.toFixed(3)} (chance: 0.45)`);
});

test('assignment is fast enough for one call per viewer join', () => {
  const started = process.hrtime.bigint();
  for (const id of ids) assignArm(id, live(20));
  const perCallUs = Number(process.hrtime.bigint() - started) / 1_000 / ids.length;
  console.log(`assignArm: ${perCallUs.toFixed(2)} µs per call over ${ids.length} ids`);
  assert.ok(perCallUs < 50, `${perCallUs} µs per call`);
});

test('the config parser fills defaults and rejects bad input with a stable code and the field path', () => {
  assert.equal(config.holdoutPercent, 10);
  assert.deepEqual(config.stages, [1, 5, 20, 50, 100]);
  assert.deepEqual(config.guardrail, {
    metric: 'ctr',
    maxRelativeDrop: 0.2,
    minImpressionsPerArm: 200,
    alpha: 0.05,
    srmPValue: 0.001,
  });
  assert.deepEqual(config.autoAdvance, { enabled: false, minStageMs: 60_000 });
  const base = { salt: 's', control: { modelVersion: 'a' }, treatment: { modelVersion: 'b' } };
  const cases: [unknown, string][] = [
    [null, 'config'],
    ['{}', 'config'],
    [{ ...base, salt: '' }, 'salt'],
    [{ ...base, holdoutPercent: 60 }, 'holdoutPercent'],
    [{ ...base, holdoutPercent: Number.NaN }, 'holdoutPercent'],
    [{ ...base, control: {} }, 'control.modelVersion'],
    [{ ...base, treatment: { modelVersion: 'b', extra: 1 } }, 'treatment.extra'],
    [{ ...base, stages: [] }, 'stages'],
    [{ ...base, stages: [5, 1, 100] }, 'stages[1]'],
    [{ ...base, stages: [0, 100] }, 'stages[0]'],
    [{ ...base, stages: [1, 101] }, 'stages[1]'],
    [{ ...base, guardrail: { metric: 'watch' } }, 'guardrail.metric'],
    [{ ...base, guardrail: { maxRelativeDrop: 2 } }, 'guardrail.maxRelativeDrop'],
    [{ ...base, guardrail: { minImpressionsPerArm: 1.5 } }, 'guardrail.minImpressionsPerArm'],
    [{ ...base, guardrail: { alpha: 0 } }, 'guardrail.alpha'],
    [{ ...base, guardrail: { srmPValue: 0.5 } }, 'guardrail.srmPValue'],
    [{ ...base, autoAdvance: { enabled: 'yes' } }, 'autoAdvance.enabled'],
    [{ ...base, rollout: 5 }, 'config.rollout'],
  ];
  for (const [input, path] of cases) {
    assert.throws(
      () => parseExperimentConfig(input),
      (error: unknown) =>
        error instanceof InvalidExperimentConfigError &&
        error.code === 'INVALID_EXPERIMENT_CONFIG' &&
        error.path === path,
      `expected an error at ${path} for ${JSON.stringify(input)}`,
    );
  }
});
