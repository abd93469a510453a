import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../lib/prng.js';
import { parseExperimentConfig } from '../../server/experiments/ExperimentConfig.js';
import { judgeGuardrail, type ArmCounts } from '../../server/experiments/guardrail.js';
import {
  logMixtureRatio,
  logNormalCdf,
  normalCdf,
  sequentialCtrTest,
} from '../../server/experiments/sequential.js';
import { chiSquareSurvival, sampleRatioMismatch } from '../../server/experiments/srm.js';

/**
 * Simulated traffic, seeded: every run is reproducible. A "look" is one guardrail check after a
 * batch of impressions, as the live show does every second.
 */
const RUNS = 200;
const guardrail = parseExperimentConfig({
  salt: 'sim',
  control: { modelVersion: 'v1' },
  treatment: { modelVersion: 'v2' },
}).guardrail; // alpha 0.05, maxRelativeDrop 0.2, minImpressionsPerArm 200, srmPValue 0.001

interface Scenario {
  controlCtr: number;
  relativeDrop: number;
  treatmentShare: number;
  impressionsPerLook: number;
  maxPerArm: number;
}

/** For each run, the treatment impressions at the first pause, or null if it never paused. */
function simulate(scenario: Scenario, seedBase: number): (number | null)[] {
  const treatmentCtr = scenario.controlCtr * (1 - scenario.relativeDrop);
  const results: (number | null)[] = [];
  for (let run = 0; run < RUNS; run++) {
    const random = mulberry32(seedBase + run);
    const control: ArmCounts = { impressions: 0, clicks: 0 };
    const treatment: ArmCounts = { impressions: 0, clicks: 0 };
    let pausedAt: number | null = null;
    while (
      pausedAt === null &&
      Math.min(control.impressions, treatment.impressions) < scenario.maxPerArm
    ) {
      for (let i = 0; i < scenario.impressionsPerLook; i++) {
        const arm = random() < scenario.treatmentShare ? treatment : control;
        arm.impressions += 1;
        if (random() < (arm === treatment ? treatmentCtr : scenario.controlCtr)) arm.clicks += 1;
      }
      if (judgeGuardrail(guardrail, { control, treatment }).status === 'breached')
        pausedAt = treatment.impressions;
    }
    results.push(pausedAt);
  }
  return results;
}

const rate = (results: (number | null)[], within = Infinity) =>
  results.filter((at) => at !== null && at <= within).length / results.length;

test('normal CDF, ln Φ far in the tail and χ² survival match tabulated values', () => {
  assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
  assert.ok(Math.abs(normalCdf(-1.644854) - 0.05) < 1e-6);
  assert.ok(Math.abs(logNormalCdf(-40) - -804.608) < 0.01, `${logNormalCdf(-40)}`); // ln Φ(−40) ≈ −804.608
  assert.ok(Math.abs(chiSquareSurvival(3.841459, 1) - 0.05) < 1e-5);
  assert.ok(Math.abs(chiSquareSurvival(13.815511, 2) - 0.001) < 1e-6);
  assert.ok(Math.abs(chiSquareSurvival(16.266236, 3) - 0.001) < 1e-6);
  assert.ok(Math.abs(chiSquareSurvival(9.487729, 4) - 0.05) < 1e-5);
});

test('the closed-form mixture ratio equals the numerical integral over the half-normal mixture', () => {
  for (const [difference, variance, tau] of [
    [-0.01, 4e-5, 0.01],
    [0.004, 1e-5, 0.002],
    [-0.03, 2e-4, 0.005],
  ] as const) {
    // Λ = ∫_{θ<0} 2·N(θ; 0, τ²) · N(δ̂; θ, V) / N(δ̂; 0, V) dθ, by the midpoint rule.
    let integral = 0;
    const step = tau / 2_000;
    for (let theta = -12 * tau + step / 2; theta < 0; theta += step) {
      const prior =
        (2 / (tau * Math.sqrt(2 * Math.PI))) * Math.exp(-(theta * theta) / (2 * tau * tau));
      const ratio = Math.exp((theta * difference) / variance - (theta * theta) / (2 * variance));
      integral += prior * ratio * step;
    }
    const closed = Math.exp(logMixtureRatio(difference, variance, tau));
    assert.ok(Math.abs(closed / integral - 1) < 1e-4, `${closed} vs ${integral}`);
  }
});

test('A/A checked after every 100 impressions: the false pause rate stays ≤ α over 200 seeded runs', () => {
  const balanced = simulate(
    {
      controlCtr: 0.05,
      relativeDrop: 0,
      treatmentShare: 0.5,
      impressionsPerLook: 100,
      maxPerArm: 40_000,
    },
    1_000,
  );
  // A 5% stage: 19 control impressions per treatment one, and a low CTR (the normal approximation's worst case).
  const lopsided = simulate(
    {
      controlCtr: 0.02,
      relativeDrop: 0,
      treatmentShare: 0.05,
      impressionsPerLook: 200,
      maxPerArm: 5_000,
    },
    2_000,
  );
  console.log(
    `A/A false pauses: ${(rate(balanced) * 100).toFixed(1)}% (50/50, CTR 5%, 800 looks), ` +
      `${(rate(lopsided) * 100).toFixed(1)}% (5/95, CTR 2%); α = ${guardrail.alpha}`,
  );
  assert.ok(rate(balanced) <= guardrail.alpha, `${rate(balanced)}`);
  assert.ok(rate(lopsided) <= guardrail.alpha, `${rate(lopsided)}`);
});

test('a real 20% relative CTR drop (5% → 4%) is paused in ≥ 80% of runs within 12 000 treatment impressions', () => {
  const results = simulate(
    {
      controlCtr: 0.05,
      relativeDrop: 0.2,
      treatmentShare: 0.5,
      impressionsPerLook: 100,
      maxPerArm: 40_000,
    },
    3_000,
  );
  const stops = results.filter((at): at is number => at !== null).sort((a, b) => a - b);
  console.log(
    `20% drop: paused in ${(rate(results, 12_000) * 100).toFixed(1)}% of runs within 12 000 treatment impressions, ` +
      `${(rate(results) * 100).toFixed(1)}% within 40 000; median ${stops[stops.length >> 1]}, ` +
      `80th percentile ${stops[Math.ceil(0.8 * RUNS) - 1]}`,
  );
  assert.ok(rate(results, 12_000) >= 0.8, `${rate(results, 12_000)}`);
});

test('no evidence either way without clicks; a better treatment never pauses', () => {
  const none = sequentialCtrTest(
    { impressions: 500, clicks: 0 },
    { impressions: 500, clicks: 0 },
    {
      alpha: 0.05,
      tunedRelativeDrop: 0.2,
    },
  );
  assert.equal(none.likelihoodRatio, 1);
  assert.equal(none.harmful, false);
  const better = sequentialCtrTest(
    { impressions: 50_000, clicks: 2_500 },
    { impressions: 50_000, clicks: 3_500 },
    { alpha: 0.05, tunedRelativeDrop: 0.2 },
  );
  assert.equal(better.harmful, false);
  assert.ok(better.likelihoodRatio < 0.05, `${better.likelihoodRatio}`);
});

/** Viewers joining 20 per look at a 50% stage with a 10% holdout. */
function simulateSplit(treatmentShareOfRest: number, seedBase: number, maxViewers = 20_000) {
  const expectedShares = { holdout: 0.1, control: 0.45, treatment: 0.45 };
  const results: (number | null)[] = [];
  for (let run = 0; run < RUNS; run++) {
    const random = mulberry32(seedBase + run);
    const observed = { holdout: 0, control: 0, treatment: 0 };
    let flaggedAt: number | null = null;
    for (let n = 0; flaggedAt === null && n < maxViewers;) {
      for (let i = 0; i < 20; i++, n++) {
        if (random() < 0.1) observed.holdout += 1;
        else if (random() < treatmentShareOfRest) observed.treatment += 1;
        else observed.control += 1;
      }
      const srm = sampleRatioMismatch(observed, expectedShares, {
        pThreshold: guardrail.srmPValue,
      });
      if (srm.status === 'mismatch') flaggedAt = n;
    }
    results.push(flaggedAt);
  }
  return results;
}

test('SRM: an injected 52/48 control/treatment split is flagged; a fair split checked every look seldom is', () => {
  const skewed = simulateSplit(0.48, 5_000);
  const fair = simulateSplit(0.5, 6_000);
  const stops = skewed.filter((at): at is number => at !== null).sort((a, b) => a - b);
  console.log(
    `SRM 52/48: flagged in ${(rate(skewed) * 100).toFixed(1)}% of runs within 20 000 viewers ` +
      `(80% within ${stops[Math.ceil(0.8 * RUNS) - 1]}); fair split, 1 000 looks: ${(rate(fair) * 100).toFixed(1)}% false flags`,
  );
  assert.ok(rate(skewed) >= 0.9, `${rate(skewed)}`);
  assert.ok(rate(fair) <= 0.05, `${rate(fair)}`); // χ² is not anytime-valid: see docs/experiments.md

  const verdict = judgeGuardrail(
    guardrail,
    { control: { impressions: 1_000, clicks: 50 }, treatment: { impressions: 1_000, clicks: 50 } },
    {
      observed: { holdout: 2_000, control: 9_360, treatment: 8_640 },
      expectedShares: { holdout: 0.1, control: 0.45, treatment: 0.45 },
    },
  );
  assert.equal(verdict.status, 'breached');
  assert.equal(verdict.cause, 'srm');
  assert.match(
    verdict.reason!,
    /^sample ratio mismatch: viewers holdout 2000, control 9360, treatment 8640/,
  );
  // An arm the stage gives no share to, yet with viewers, is a mismatch outright.
  const stray = sampleRatioMismatch(
    { control: 3, treatment: 500 },
    { control: 0, treatment: 1 },
    { pThreshold: 0.001 },
  );
  assert.equal(stray.status, 'mismatch');
  // Too few viewers for χ²: no verdict.
  const early = sampleRatioMismatch(
    { holdout: 0, control: 3, treatment: 1 },
    { holdout: 0.1, control: 0.45, treatment: 0.45 },
    { pThreshold: 0.001 },
  );
  assert.equal(early.status, 'insufficient_data');
});
