/**
 * A light stemmer for folded English and Spanish words, one suffix list for both: the same
 * function runs over facts and questions, so consistency matters more than linguistics, and a
 * question may mix the languages. At most two suffixes go, and a stem keeps three letters.
 */
const SUFFIXES = [
  'aciones', 'iciones', 'amiento', 'imiento', 'ciones', 'mente', 'arse', 'erse', 'irse', 'acion', 'icion', 'ieron', 'iendo', 'ables', 'ibles',
  'cion', 'ando', 'able', 'ible', 'ness', 'ment', 'ings', 'edly', 'amos', 'emos', 'imos', 'aron', 'aban', 'ados', 'idos',
  'adas', 'idas', 'ing', 'ies', 'ied', 'ado', 'ido', 'ada', 'ida', 'eis', 'ais', 'ly', 'ed', 'es', 'ar', 'er', 'ir', 'an',
  'en', 'as', 'os', 's', 'a', 'o', 'e', 'y',
] as const;
const MIN_STEM = 3;
const DOUBLED = /([bcdfgklmnprstvz])\1$/;

/** Spanish pronouns written onto an infinitive: devolverla, enviarlo, mandármelo (folded). */
const CLITIC = /^(.{3,}(?:ar|er|ir))(?:se|me|te|nos)?(?:lo|la|los|las|le|les|me|te|nos)$/;

export function stem(word: string): string {
  if (/^\d/.test(word) || word.length <= MIN_STEM) return word;
  let current = word.replace(CLITIC, '$1');
  for (let pass = 0; pass < 2; pass++) {
    const suffix = SUFFIXES.find((s) => current.endsWith(s) && current.length - s.length >= MIN_STEM);
    if (suffix === undefined) break;
    current = current.slice(0, -suffix.length);
    // shipping → shipp → ship; a Spanish double letter (ll, rr) is kept: llamada, correo
    if (DOUBLED.test(current) && !/(ll|rr)$/.test(current)) current = current.slice(0, -1);
  }
  return current;
}
