import type { Viseme } from '../../renderer/rig/pose.js';

/** espeak-ng ASCII phoneme mnemonics → visemes (table verified in FINDINGS). */
const TABLE: Record<string, Viseme> = {};
const GROUPS: Array<[Viseme, string[]]> = [
  ['sil', ['_', '_:', '_!', '_|']],
  ['MBP', ['p', 'b', 'm']],
  ['FV', ['f', 'v']],
  ['TH', ['T', 'D']],
  ['CONS', ['t', 'd', 'n', 'l', 'k', 'g', 'N', 'h', 'j', '?', 't#', 'n-', '@L']],
  ['SZ', ['s', 'z']],
  ['SH', ['S', 'Z', 'tS', 'dZ']],
  ['AA', ['a', 'aa', 'A:', 'A@', 'V', '0', 'a#']],
  ['EE', ['i', 'i:', 'I', 'I2', 'e', 'E', 'e@', '@', '@2', '3', '3:', 'i@', 'eI']],
  ['OO', ['O', 'O:', 'o@', 'oU', 'U', 'U@', 'u:', 'w', 'r', 'y', 'Y']],
];
for (const [viseme, phonemes] of GROUPS) for (const p of phonemes) TABLE[p] = viseme;

const DIPHTHONGS: Record<string, Viseme[]> = { aI: ['AA', 'EE'], aU: ['AA', 'OO'], OI: ['OO', 'EE'] };

/**
 * Visemes for one phoneme. Stress and syllable marks are dropped; an unknown mnemonic falls
 * back to its base (without a length mark or language suffix), then to a neutral consonant.
 * Diphthongs give two visemes, each for half the phoneme.
 */
export function visemesForPhoneme(phoneme: string): Viseme[] {
  const name = phoneme.replace(/['",%=]/g, '');
  if (name === '') return ['sil'];
  const diphthong = DIPHTHONGS[name] ?? DIPHTHONGS[name.replace(/:$/, '')];
  if (diphthong) return diphthong;
  const direct = TABLE[name] ?? TABLE[name.replace(/:$/, '')] ?? TABLE[name.replace(/[#;:]+$/, '')];
  if (direct) return [direct];
  const first = TABLE[name[0]!];
  return [first ?? 'CONS'];
}

/** How open the mouth is when a viseme is fully expressed. */
export const VISEME_OPENNESS: Record<Viseme, number> = {
  sil: 0,
  MBP: 0,
  FV: 0.25,
  TH: 0.35,
  CONS: 0.4,
  SZ: 0.3,
  SH: 0.45,
  AA: 1,
  EE: 0.6,
  OO: 0.7,
};
