import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ViewerTokens } from '../../server/auth/tokens.js';

test('viewer tokens verify, and forged, foreign or expired ones do not', () => {
  const tokens = new ViewerTokens('secret-a');
  const token = tokens.issue('show1', 'viewer1', 1_000);
  assert.deepEqual(tokens.verify(token, 2_000), { viewerId: 'viewer1', showId: 'show1', expiresAtMs: 1_000 + 12 * 3600_000, bornAtMs: 1_000 });
  assert.equal(new ViewerTokens('secret-b').verify(token, 2_000), undefined, 'other secret');
  assert.equal(tokens.verify(token.replace('show1', 'show2'), 2_000), undefined, 'edited claims');
  assert.equal(tokens.verify(token, 1_000 + 13 * 3600_000), undefined, 'expired');
  assert.equal(tokens.verify('garbage', 2_000), undefined);
  assert.equal(tokens.verify('v1.a.b.c.d.e', 2_000), undefined);
  assert.equal(tokens.verify('v2.a.b.c.d.e.f', 2_000), undefined);
});

test('a returning viewer keeps its anonymous id across shows with a genuine token, for a while', () => {
  const tokens = new ViewerTokens('secret-a');
  const earlier = tokens.issue('show1', 'viewer1', 1_000);
  const later = 1_000 + 20 * 24 * 3600_000;
  assert.equal(tokens.returningViewerId(earlier, later), 'viewer1', 'expired for watching, still good for coming back');
  assert.equal(tokens.verify(tokens.issue('show2', tokens.returning(earlier, later), later), later)?.viewerId, 'viewer1');
  assert.equal(tokens.returningViewerId(earlier, 1_000 + 43 * 24 * 3600_000), undefined, 'stale');
  assert.equal(tokens.returningViewerId(earlier.replace('viewer1', 'viewer2'), later), undefined, 'forged');
  assert.equal(new ViewerTokens('secret-b').returningViewerId(earlier, later), undefined, 'other secret');
});

test('a returning viewer cannot renew its identity forever: it ends 90 days after it was first minted', () => {
  const tokens = new ViewerTokens('secret-a');
  const day = 24 * 3600_000;
  let token = tokens.issue('show0', 'viewer1', 0);
  // Come back every 20 days, each time re-minting from the last token.
  for (let now = 20 * day; now < 90 * day; now += 20 * day) {
    const returning = tokens.returning(token, now);
    assert.deepEqual(returning, { viewerId: 'viewer1', bornAtMs: 0 }, `day ${now / day}`);
    token = tokens.issue(`show${now}`, returning, now);
  }
  assert.equal(tokens.verify(token, 90 * day + 1), undefined, 'no token outlives the identity');
  assert.equal(tokens.returning(token, 90 * day + 1), undefined, 'and it cannot be renewed');
});

test('a revoked viewer (its data erased) has every token refused, for watching and for coming back', () => {
  const tokens = new ViewerTokens('secret-a');
  const token = tokens.issue('show1', 'viewer1', 1_000);
  const other = tokens.issue('show1', 'viewer2', 1_000);
  tokens.revoke('viewer1', 2_000);
  assert.equal(tokens.verify(token, 3_000), undefined);
  assert.equal(tokens.returning(token, 3_000), undefined);
  assert.equal(tokens.verify(other, 3_000)?.viewerId, 'viewer2', 'others are untouched');
});
