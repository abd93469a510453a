import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OverlayCatalog } from '../../server/overlays/OverlayCatalog.js';
import { RULE_PRECEDENCE, RuleSet } from '../../server/decisions/rules/RuleSet.js';
import { regionAllows } from '../../server/decisions/rules/regionRule.js';
import { pacedTarget } from '../../server/decisions/rules/sponsorCommitmentRule.js';
import type { DecisionContext } from '../../server/decisions/types.js';
import { decisionContext as context, NOW, type ContextOverrides } from '../helpers/decisionContext.js';

const templates = OverlayCatalog.load().templates;
const byId = (id: string) => templates.find((t) => t.id === id)!;
const rules = new RuleSet();

const eligibleIds = (c: DecisionContext, candidates = templates) =>
  rules.apply(c, candidates).eligible.map((t) => t.id);
const fired = (c: DecisionContext, candidates = templates) => rules.apply(c, candidates).rulesFired;

test('the baseline viewer is eligible for everything but the Spanish-only offer', () => {
  const outcome = rules.apply(context(), templates);
  assert.deepEqual(outcome.rulesFired, ['language:oferta-directo']);
  assert.equal(outcome.eligible.length, templates.length - 1);
  assert.equal(outcome.forced, false);
});

test('consent: personalised templates only with consent', () => {
  const c = context({ join: { consent: false } });
  assert.ok(fired(c).includes('consent:picks-for-you'));
  assert.ok(!eligibleIds(c).includes('picks-for-you'));
});

test('region: deny wins over allow, a region outside allow is denied, ZZ is outside every allow list', () => {
  assert.ok(fired(context({ join: { region: 'IR' } })).includes('region_deny:ledger-card'));
  const gb = context({ join: { region: 'GB' } });
  assert.ok(fired(gb).includes('region_deny:us-trial-promo'));
  assert.ok(eligibleIds(gb).includes('launch-tshirt'));
  const unknown = fired(context({ join: { region: 'ZZ' } }));
  assert.ok(
    unknown.includes('region_deny:us-trial-promo') && unknown.includes('region_deny:launch-tshirt'),
  );
  assert.equal(
    regionAllows({ ...byId('ledger-card'), regions: { allow: ['CU'], deny: ['CU'] } }, 'CU'),
    false,
  );
});

test('language: a language list limits a template to those viewers', () => {
  const es = context({ join: { language: 'es', region: 'US' } });
  assert.ok(eligibleIds(es).includes('oferta-directo'));
  assert.ok(fired(es).includes('language:us-trial-promo'));
  assert.ok(eligibleIds(es).includes('podcast-badge'));
});

test('dismissed: a template the viewer dismissed stays away for the session', () => {
  const c = context({ session: { dismissedByTemplate: { 'newsletter-badge': 1 } } });
  assert.ok(fired(c).includes('dismissed:newsletter-badge'));
  assert.ok(!eligibleIds(c).includes('newsletter-badge'));
});

test('inventory cap: show-wide impressions', () => {
  const c = context({
    show: { impressionsByTemplate: { 'ledger-card': 6000, 'launch-tshirt': 500 } },
  });
  assert.ok(fired(c).includes('inventory_cap:launch-tshirt'));
  const under = context({
    show: { impressionsByTemplate: { 'ledger-card': 6000, 'launch-tshirt': 499 } },
  });
  assert.ok(eligibleIds(under).includes('launch-tshirt'));
});

test('frequency cap: maxPerSession per viewer', () => {
  const c = context({
    session: { shownByTemplate: { 'podcast-badge': 3, 'newsletter-badge': 1 } },
  });
  assert.ok(fired(c).includes('frequency_cap:podcast-badge'));
  assert.ok(eligibleIds(c).includes('newsletter-badge'));
});

test('min gap: named once, keeps the templates whose gap has passed', () => {
  const c = context({ session: { lastCtaAtMs: NOW - 50_000 } });
  assert.deepEqual(eligibleIds(c), ['podcast-badge']);
  assert.equal(fired(c).filter((name) => name === 'min_gap').length, 1);
  assert.equal(
    eligibleIds(context({ session: { lastCtaAtMs: NOW - 200_000 } })).length,
    templates.length - 1,
  );
});

test('sponsor commitment: a sponsor behind its pace narrows the candidates and is named', () => {
  assert.equal(pacedTarget(byId('ledger-card'), context().show), 3000);
  assert.equal(pacedTarget(byId('ledger-card'), { ...context().show, plannedDurationMs: 0 }), 0);
  assert.equal(pacedTarget(byId('newsletter-badge'), context().show), 0);
  const behind = context({ show: { impressionsByTemplate: { 'ledger-card': 2999 } } });
  const outcome = rules.apply(behind, templates);
  assert.deepEqual(
    outcome.eligible.map((t) => t.id),
    ['ledger-card'],
  );
  assert.equal(outcome.forced, true);
  assert.equal(outcome.rulesFired.at(-1), 'sponsor_commitment:ledger-card');
  assert.equal(
    rules.apply(context({ show: { impressionsByTemplate: { 'ledger-card': 3000 } } }), templates)
      .forced,
    false,
  );
});

test('precedence: hard filters and caps come before a sponsor commitment', () => {
  const behind = { impressionsByTemplate: { 'ledger-card': 0 } };
  const blockedBy = (o: ContextOverrides, rule: string) => {
    const outcome = rules.apply(context({ ...o, show: behind }), templates);
    assert.equal(outcome.forced, false, rule);
    assert.ok(outcome.rulesFired.includes(rule), `${rule} in ${outcome.rulesFired}`);
    assert.ok(!outcome.rulesFired.some((name) => name.startsWith('sponsor_commitment')), rule);
    assert.ok(!outcome.eligible.some((t) => t.id === 'ledger-card'), rule);
    assert.ok(outcome.eligible.length > 0 || rule === 'min_gap', rule);
  };
  blockedBy({ join: { region: 'KP' } }, 'region_deny:ledger-card');
  blockedBy({ session: { dismissedByTemplate: { 'ledger-card': 1 } } }, 'dismissed:ledger-card');
  blockedBy({ session: { shownByTemplate: { 'ledger-card': 3 } } }, 'frequency_cap:ledger-card');
  blockedBy({ session: { lastCtaAtMs: NOW - 100_000 } }, 'min_gap');
});

test('precedence: a template is named only by the first rule that removes it', () => {
  const c = context({
    join: { consent: false, language: 'es', region: 'CU' },
    session: {
      shownByTemplate: { 'picks-for-you': 5, 'us-trial-promo': 5 },
      dismissedByTemplate: { 'picks-for-you': 1 },
    },
  });
  const names = fired(c);
  assert.ok(names.includes('consent:picks-for-you'));
  assert.ok(!names.some((n) => n.endsWith(':picks-for-you') && n !== 'consent:picks-for-you'));
  assert.ok(names.includes('region_deny:us-trial-promo'));
  assert.ok(
    !names.includes('language:us-trial-promo') && !names.includes('frequency_cap:us-trial-promo'),
  );
  assert.deepEqual(
    RULE_PRECEDENCE.map((r) => r.name),
    [
      'consent',
      'region_deny',
      'language',
      'dismissed',
      'inventory_cap',
      'frequency_cap',
      'min_gap',
      'sponsor_commitment',
    ],
  );
});

test('without session features the per-viewer rules have nothing to read and pass', () => {
  const c = { ...context({ session: { lastCtaAtMs: NOW - 1000 } }), session: undefined };
  assert.deepEqual(fired(c), ['language:oferta-directo']);
});
