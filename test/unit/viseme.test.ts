import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visemesForPhoneme } from '../../pipeline/animate/visemeMap.js';

test('espeak phonemes map to the ten visemes', () => {
  const expected: Record<string, string> = {
    _: 'sil', 'p': 'MBP', 'b': 'MBP', 'm': 'MBP', 'f': 'FV', 'v': 'FV', 'T': 'TH', 'D': 'TH',
    't': 'CONS', 'k': 'CONS', 'n': 'CONS', 'l': 'CONS', 's': 'SZ', 'z': 'SZ', 'S': 'SH', 'tS': 'SH', 'dZ': 'SH',
    'a': 'AA', 'A:': 'AA', 'V': 'AA', 'i:': 'EE', 'E': 'EE', '@': 'EE', '3:': 'EE', 'O:': 'OO', 'u:': 'OO', 'w': 'OO', 'r': 'OO',
  };
  for (const [phoneme, viseme] of Object.entries(expected)) assert.deepEqual(visemesForPhoneme(phoneme), [viseme], phoneme);
});

test('diphthongs split in two, stress marks are ignored, unknown phonemes fall back', () => {
  assert.deepEqual(visemesForPhoneme('aI'), ['AA', 'EE']);
  assert.deepEqual(visemesForPhoneme('aU'), ['AA', 'OO']);
  assert.deepEqual(visemesForPhoneme('OI'), ['OO', 'EE']);
  assert.deepEqual(visemesForPhoneme("'a"), ['AA']);
  assert.deepEqual(visemesForPhoneme(',i:'), ['EE']);
  assert.deepEqual(visemesForPhoneme('e:'), ['EE'], 'length mark dropped');
  assert.deepEqual(visemesForPhoneme('x'), ['CONS'], 'unknown consonant');
  assert.deepEqual(visemesForPhoneme(''), ['sil']);
});
