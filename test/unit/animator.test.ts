import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Animator } from '../../pipeline/animate/Animator.js';
import type { Utterance } from '../../pipeline/animate/Utterance.js';

// A synthetic line on the 48 kHz clock: silence, "m", "a" (long), "s", silence.
const utterance: Utterance = {
  pcm: new Int16Array(48_000),
  visemes: [
    { sample: 0, viseme: 'sil' },
    { sample: 4_800, viseme: 'MBP' },
    { sample: 9_600, viseme: 'AA' },
    { sample: 24_000, viseme: 'SZ' },
    { sample: 28_800, viseme: 'sil' },
    { sample: 48_000, viseme: 'sil' },
  ],
  words: [{ sample: 4_800, textPosition: 1, length: 3, stressed: true }],
};

test('the same seed and input give the same poses; another seed differs', () => {
  const a = new Animator(7);
  const b = new Animator(7);
  const c = new Animator(8);
  const poses = (animator: Animator) => Array.from({ length: 600 }, (_, i) => animator.pose(i * 33.3, i < 30 ? { utterance, sample: i * 1600 } : undefined));
  assert.deepEqual(poses(a), poses(b));
  assert.notDeepEqual(poses(new Animator(7)), poses(c));
});

test('the mouth is open on vowels and closed on silence and bilabials', () => {
  const animator = new Animator(1);
  const at = (sample: number) => animator.pose(0, { utterance, sample });
  const vowel = at(16_000);
  assert.equal(vowel.viseme, 'AA');
  assert.ok(vowel.mouthOpen > 0.9);
  assert.equal(at(6_500).viseme, 'MBP');
  assert.equal(at(6_500).mouthOpen, 0);
  assert.equal(at(40_000).viseme, 'sil');
  assert.ok(at(9_700).mouthOpen < vowel.mouthOpen, 'coarticulation: the vowel opens gradually');
  assert.ok(at(5_800).emphasis > 0, 'a stressed word gets emphasis');
});

test('idle animation blinks, breathes and sways', () => {
  const animator = new Animator(3);
  const poses = Array.from({ length: 30 * 20 }, (_, i) => animator.pose(i * (1000 / 30)));
  assert.ok(poses.some((p) => p.eyeOpen < 0.3), 'eyes close during a blink');
  assert.ok(poses.filter((p) => p.eyeOpen === 1).length > poses.length * 0.9, 'eyes are mostly open');
  const breath = poses.map((p) => p.breath);
  assert.ok(Math.max(...breath) - Math.min(...breath) > 0.9);
  const sway = poses.map((p) => p.headX);
  assert.ok(Math.max(...sway) - Math.min(...sway) > 2 && Math.max(...sway.map(Math.abs)) < 6);
  assert.ok(poses.every((p) => p.viseme === 'sil' && p.mouthOpen === 0));
});
