import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mulberry32 } from '../../lib/prng.js';
import {
  DecisionEngine,
  type DecisionEngineOptions,
} from '../../server/decisions/DecisionEngine.js';
import { FEATURE_DIMENSION } from '../../server/decisions/ranker/featureLayout.js';
import type { RankerScorer } from '../../server/decisions/ranker/RankerScorer.js';
import type { ArmAssignment, DecisionContext, JoinContext } from '../../server/decisions/types.js';
import { OverlayCatalog } from '../../server/overlays/OverlayCatalog.js';
import { decisionContext, NOW, type ContextOverrides } from '../helpers/decisionContext.js';

const templates = OverlayCatalog.load().templates;
const treatment: ArmAssignment = {
  arm: 'treatment',
  modelVersion: 'fake',
  holdoutBucket: 5000,
  rolloutBucket: 10,
};
const holdout: ArmAssignment = { arm: 'holdout', holdoutBucket: 3, rolloutBucket: 10 };

const context = (o: ContextOverrides = {}): DecisionContext =>
  decisionContext({ ...o, trigger: o.trigger ?? 'interaction', session: { topicsSeen: ['tech'], ...o.session } });

/** A scorer double: row r scores 0.1 + 0.01·(r mod 6) unless told otherwise; counts its calls. */
class FakeScorer implements RankerScorer {
  readonly dimension = FEATURE_DIMENSION;
  calls: number[] = [];
  constructor(
    readonly version = 'fake',
    private readonly behave: (rows: number) => Promise<Float32Array> = async (rows) =>
      Float32Array.from({ length: rows }, (_, r) => 0.1 + 0.01 * (r % 6)),
  ) {}
  score(_features: Float32Array, rows: number): Promise<Float32Array> {
    this.calls.push(rows);
    return this.behave(rows);
  }
}

function engineWith(scorer: RankerScorer, options: Partial<DecisionEngineOptions> = {}) {
  return new DecisionEngine({
    templates,
    rankers: [scorer],
    defaultTemplateId: 'newsletter-badge',
    random: mulberry32(7),
    epsilon: 0,
    // Generous: these tests are about tiers, not speed, on a shared CPU. The slow-model test sets 5.
    budgetMs: 1000,
    ...options,
  });
}

test('session features missing (Redis away) → fallback: the default template through the rules', async () => {
  const scorer = new FakeScorer();
  const engine = engineWith(scorer);
  const d = await engine.decide({ ...context(), session: undefined }, treatment);
  assert.equal(d.tier, 'fallback');
  assert.equal(d.fallbackReason, 'redis_unavailable');
  assert.equal(d.templateId, 'newsletter-badge');
  assert.equal(d.placement, 'badge');
  assert.equal(d.propensity, 1);
  assert.equal(scorer.calls.length, 0);
  const denied = new DecisionEngine({ templates, defaultTemplateId: 'us-trial-promo' });
  const none = await denied.decide(
    { ...context({ join: { region: 'GB' } }), session: undefined },
    treatment,
  );
  assert.equal(none.placement, 'none');
  assert.deepEqual(none.rulesFired, ['region_deny:us-trial-promo']);
});

test('holdout → tier default: the default template while the rules allow it, never the ranker', async () => {
  const scorer = new FakeScorer();
  const engine = engineWith(scorer);
  const d = await engine.decide(context(), holdout);
  assert.deepEqual(
    [d.tier, d.templateId, d.propensity, d.arm],
    ['default', 'newsletter-badge', 1, 'holdout'],
  );
  assert.equal(d.modelVersion, undefined);
  const capped = await engine.decide(
    context({ session: { shownByTemplate: { 'newsletter-badge': 2 } } }),
    holdout,
  );
  assert.deepEqual([capped.tier, capped.placement], ['default', 'none']);
  assert.deepEqual(capped.rulesFired, ['frequency_cap:newsletter-badge']);
  assert.equal(scorer.calls.length, 0);
});

test('treatment → rules then the ranker: best score wins, every field filled', async () => {
  const scorer = new FakeScorer();
  const engine = engineWith(scorer);
  const d = await engine.decide(context(), treatment);
  assert.equal(d.tier, 'ranker');
  assert.equal(d.modelVersion, 'fake');
  assert.deepEqual(d.rulesFired, ['language:oferta-directo']);
  // 6 eligible rows, the last scores highest: podcast-badge.
  assert.equal(d.templateId, 'podcast-badge');
  assert.ok(Math.abs(d.score! - 0.15) < 1e-6);
  assert.equal(d.propensity, 1, 'epsilon 0');
  assert.ok(d.latencyMs >= 0 && d.latencyMs < 1000);
  assert.equal(d.atMs, NOW);
  assert.match(d.id, /^d-/);
});

test('decisions pending in the same tick share one ranker call', async () => {
  const scorer = new FakeScorer();
  const engine = engineWith(scorer);
  const decisions = await Promise.all(
    Array.from({ length: 20 }, () => engine.decide(context(), treatment)),
  );
  assert.deepEqual(scorer.calls, [120]);
  assert.equal(new Set(decisions.map((d) => d.id)).size, 20, 'ids are unique');
  assert.ok(decisions.every((d) => d.templateId === 'podcast-badge'));
});

test('below minScoreToShow the greedy action is none (a heartbeat may well show nothing)', async () => {
  const engine = engineWith(
    new FakeScorer('fake', async (rows) => new Float32Array(rows).fill(0.001)),
  );
  const d = await engine.decide(context({ trigger: 'heartbeat' }), treatment);
  assert.deepEqual([d.tier, d.placement, d.score], ['ranker', 'none', undefined]);
  const gap = await engine.decide(
    context({ trigger: 'heartbeat', session: { lastCtaAtMs: NOW - 1000 } }),
    treatment,
  );
  assert.deepEqual([gap.tier, gap.placement, gap.rulesFired.at(-1)], ['rules', 'none', 'min_gap']);
});

test('a model that throws or rejects → fallback model_error', async () => {
  for (const behave of [
    () => {
      throw new Error('boom');
    },
    () => Promise.reject(new Error('boom')),
    async (rows: number) => new Float32Array(rows).fill(Number.NaN),
    async () => new Float32Array(0),
  ]) {
    const d = await engineWith(
      new FakeScorer('fake', behave as (rows: number) => Promise<Float32Array>),
    ).decide(context(), treatment);
    assert.deepEqual(
      [d.tier, d.fallbackReason, d.templateId],
      ['fallback', 'model_error', 'newsletter-badge'],
    );
    assert.deepEqual(d.rulesFired, ['language:oferta-directo']);
  }
});

test('a slow model → fallback budget_exceeded, resolved inside the budget', async () => {
  const slow = new FakeScorer(
    'fake',
    (rows) => new Promise((r) => setTimeout(() => r(new Float32Array(rows).fill(0.5)), 300)),
  );
  const engine = engineWith(slow, { budgetMs: 5 });
  const started = performance.now();
  const decisions = await Promise.all([
    engine.decide(context(), treatment),
    engine.decide(context(), treatment),
  ]);
  const elapsed = performance.now() - started;
  for (const d of decisions)
    assert.deepEqual([d.tier, d.fallbackReason], ['fallback', 'budget_exceeded']);
  assert.ok(elapsed < 100, `resolved after ${elapsed.toFixed(1)} ms, not the model's 300`);
  assert.ok(decisions[0]!.latencyMs < 100, `latency ${decisions[0]!.latencyMs}`);
});

test('a CTA moment whose model is late still shows a CTA the rules allow: `none` is no option, fallback included', async () => {
  const slow = new FakeScorer('fake', (rows) => new Promise((r) => setTimeout(() => r(new Float32Array(rows).fill(0.5)), 300)));
  const engine = engineWith(slow, { budgetMs: 5, defaultTemplateId: undefined });
  const moment = await engine.decide(context({ trigger: 'cta_moment' }), treatment);
  assert.deepEqual([moment.tier, moment.fallbackReason], ['fallback', 'budget_exceeded']);
  assert.ok(moment.templateId, 'a CTA, not none');
  assert.ok(!moment.rulesFired.includes(`language:${moment.templateId}`), 'one the rules allowed');
  // An ordinary decision with no default template falls back to none, as before.
  const ordinary = await engine.decide(context(), treatment);
  assert.deepEqual([ordinary.tier, ordinary.templateId], ['fallback', undefined]);
});

test('an unknown model version → fallback model_unavailable', async () => {
  const d = await engineWith(new FakeScorer()).decide(context(), {
    ...treatment,
    modelVersion: 'ranker-v9',
  });
  assert.deepEqual(
    [d.tier, d.fallbackReason, d.modelVersion],
    ['fallback', 'model_unavailable', 'ranker-v9'],
  );
});

test('offer_word: rules only, this viewer gets the marked template or none', async () => {
  const scorer = new FakeScorer();
  const engine = engineWith(scorer);
  const es = context({
    trigger: 'offer_word',
    offerTemplateId: 'oferta-directo',
    join: { language: 'es', region: 'ES' },
  });
  const shown = await engine.decide(es, treatment);
  assert.deepEqual(
    [shown.tier, shown.templateId, shown.propensity],
    ['rules', 'oferta-directo', 1],
  );
  const en = context({ trigger: 'offer_word', offerTemplateId: 'oferta-directo' });
  const blocked = await engine.decide(en, holdout);
  assert.deepEqual(
    [blocked.tier, blocked.placement, blocked.rulesFired],
    ['rules', 'none', ['language:oferta-directo']],
  );
  const unknown = await engine.decide(
    context({ trigger: 'offer_word', offerTemplateId: 'nope' }),
    treatment,
  );
  assert.deepEqual([unknown.tier, unknown.placement], ['rules', 'none']);
  assert.equal(scorer.calls.length, 0);
});

test('a sponsor behind its pace is forced: alone it needs no ranker', async () => {
  const scorer = new FakeScorer();
  const d = await engineWith(scorer).decide(
    context({ show: { impressionsByTemplate: { 'ledger-card': 10 } } }),
    treatment,
  );
  assert.deepEqual([d.tier, d.templateId, d.propensity], ['rules', 'ledger-card', 1]);
  assert.deepEqual(d.rulesFired, ['language:oferta-directo', 'sponsor_commitment:ledger-card']);
  assert.equal(scorer.calls.length, 0);
});

test('exploration: logged propensity is the policy probability; tier explore when it deviates', async () => {
  const engine = engineWith(new FakeScorer(), { epsilon: 0.5, random: mulberry32(3) });
  const decisions = await Promise.all(
    Array.from({ length: 400 }, () => engine.decide(context(), treatment)),
  );
  const actions = 7; // 6 eligible + none
  for (const d of decisions) {
    const expected = d.tier === 'explore' ? 0.5 / actions : 0.5 + 0.5 / actions;
    assert.ok(Math.abs(d.propensity - expected) < 1e-12, `${d.tier} ${d.propensity}`);
    assert.equal(d.tier === 'explore', d.templateId !== 'podcast-badge');
  }
  const explored = decisions.filter((d) => d.tier === 'explore').length / decisions.length;
  assert.ok(Math.abs(explored - 0.5 * (6 / 7)) < 0.07, `explored ${explored}`);
  const again = engineWith(new FakeScorer(), { epsilon: 0.5, random: mulberry32(3) });
  const replay = await Promise.all(
    Array.from({ length: 400 }, () => again.decide(context(), treatment)),
  );
  assert.deepEqual(
    replay.map((d) => d.placement + d.templateId),
    decisions.map((d) => d.placement + d.templateId),
  );
});

test('a malformed context never rejects: fallback internal_error', async () => {
  const engine = engineWith(new FakeScorer());
  const broken = { ...context(), join: undefined } as unknown as DecisionContext;
  const d = await engine.decide(broken, treatment);
  assert.deepEqual([d.tier, d.fallbackReason, d.placement], ['fallback', 'internal_error', 'none']);
  const badDevice = context({ join: { device: 'fridge' as JoinContext['device'] } });
  const e = await engine.decide(badDevice, treatment);
  assert.deepEqual([e.tier, e.fallbackReason], ['fallback', 'internal_error']);
});

test('DecisionEngine.load reads the catalog and both committed ranker versions (ORT)', async () => {
  const engine = await DecisionEngine.load({
    defaultTemplateId: 'newsletter-badge',
    random: mulberry32(1),
  });
  try {
    assert.deepEqual(engine.versions, ['ranker-v1', 'ranker-v2']);
    for (const version of engine.versions) {
      const d = await engine.decide(context(), { ...treatment, modelVersion: version });
      assert.ok(
        d.tier === 'ranker' || d.tier === 'explore',
        `${version}: ${d.tier} ${d.fallbackReason}`,
      );
      assert.equal(d.modelVersion, version);
      if (d.placement !== 'none') assert.ok(d.score! > 0 && d.score! < 1);
    }
  } finally {
    await engine.close();
  }
});
