import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DegradePolicy } from '../../pipeline/lanes/live/DegradePolicy.js';

const bad = { produced: 60, late: 10 };
const clean = { produced: 60, late: 0 };

test('overload halves the picture rate at once, but swaps the encoder only when that did not help', () => {
  const policy = new DegradePolicy();
  assert.equal(policy.observe(bad), 1, 'one bad window: half picture rate');
  assert.equal(policy.observe(bad), 1);
  assert.equal(policy.observe(clean), 1, 'a clean window resets the count');
  assert.equal(policy.observe(bad), 1);
  assert.equal(policy.observe(bad), 1);
  assert.equal(policy.observe(bad), 2, 'three bad windows in a row at level 1: half resolution');
  assert.equal(policy.observe(bad), 2, 'never past the last level');
  for (let i = 0; i < 4; i++) assert.equal(policy.observe(clean), 2);
  assert.equal(policy.observe(clean), 1, 'five clean windows step back up');
});
