import type { QueryTerm } from './Bm25Index.js';
import { isLight, LIGHT_WEIGHT } from './lightWords.js';
import { PHRASES, RAW_PHRASES } from './phrases.js';
import { stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';
import { SENSES, SYNONYMS } from './synonyms.js';

/** Lower case, accents folded (`Envío` → `envio`), `ñ` kept apart from `n` only by folding too. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Spelled numbers as digits, so "two-year" and "dos años" meet "2". "one"/"uno"/"una" are articles as often: left alone. */
const NUMBER_WORDS: Record<string, string> = {
  two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11', twelve: '12', fifteen: '15', twenty: '20', thirty: '30', hundred: '100',
  dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9', diez: '10', once: '11', doce: '12', quince: '15', veinte: '20', treinta: '30', cien: '100',
};

/** A number right after one of these is a bound or a comparison: "up to 512 GB", "under 500", "within 30 days", "menos de 500", "en 30 días". */
const BOUND_WORDS: ReadonlySet<string> = new Set(
  `under below less more over above after before least most max maximum up upto within in until
  menos mas hasta despues antes debajo encima maximo minimo en durante`.split(/\s+/).filter(Boolean),
);

/** Words after a number that make it a quantity someone asks about ("1 TB", "500 bucks", "two weeks"), not a bare number. */
const UNIT_WORDS: ReadonlySet<string> = new Set(
  `mm cm m km g gr kg grams gramos lb lbs oz gb tb mb mp k fps p percent euros euro eur dollars dollar bucks usd pounds quid
  second seconds sec secs minute minutes min mins hour hours hr hrs h day days week weeks month months year years
  segundo segundos minuto minutos hora horas dia dias semana semanas mes meses ano anos photos fotos shots disparos`.split(/\s+/).filter(Boolean),
);

/** Words and numbers of folded text, with the phrases of phrases.ts written as one term; `3-5` is two numbers, `4K` one term. */
export function words(text: string): string[] {
  let text_ = text;
  for (const [pattern, replacement] of RAW_PHRASES) text_ = text_.replace(pattern, replacement);
  text_ = fold(text_);
  for (const [pattern, replacement] of PHRASES) text_ = text_.replace(pattern, replacement);
  return (text_.match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => NUMBER_WORDS[word] ?? word);
}

/** Marker terms of a fact: it states some number (`#num`), and a bound ("up to", "within", "over": `#bound`). */
export const HAS_NUMBER = '#num';
export const HAS_BOUND = '#bound';
const COUNTRY = stem('country');

interface Token {
  stemmed: string;
  number: boolean;
  bounded: boolean;
  unit: boolean;
}

function tokens(text: string): Token[] {
  const list = words(text);
  const out: Token[] = [];
  list.forEach((word, i) => {
    const number = /^\d+$/.test(word);
    if (!number && STOPWORDS.has(word)) return;
    if (word.length < 2 && !number) return;
    const bounded = number && [list[i - 1], list[i - 2]].some((w) => w !== undefined && BOUND_WORDS.has(w));
    const unit = number && list[i + 1] !== undefined && UNIT_WORDS.has(list[i + 1]!);
    out.push({ stemmed: number ? String(Number(word)) : stem(word), number, bounded, unit });
  });
  return out;
}

/**
 * The terms a fact or a question is matched by: folded words without stopwords, stemmed, and
 * mapped onto a shared term where a synonym group has one (its first group). Numbers stay as
 * they are.
 */
export function analyze(text: string): string[] {
  return tokens(text).map((t) => SYNONYMS.get(t.stemmed) ?? t.stemmed);
}

/** A fact's terms, plus the markers a question's numbers can match (`#num`, `#bound`). */
export function analyzeFact(text: string): string[] {
  const list = tokens(text);
  const terms = list.flatMap((t) => {
    const primary = SYNONYMS.get(t.stemmed) ?? t.stemmed;
    // A place is also a country, so "do you ship to Canada" meets "we deliver to the EU and Switzerland".
    return primary !== COUNTRY && SENSES.get(t.stemmed)?.includes(COUNTRY) ? [primary, COUNTRY] : [primary];
  });
  if (list.some((t) => t.number)) terms.push(HAS_NUMBER);
  if (list.some((t) => t.bounded)) terms.push(HAS_BOUND);
  return terms;
}

/**
 * A question's terms, each with every meaning it may have (synonyms.ts), everyday words
 * (lightWords.ts) at `LIGHT_WEIGHT` of their weight. A number matches a fact with the
 * same number; a compared one ("under 500", "after two weeks") any fact that states a
 * number; any other one a fact that states a bound ("1 TB" against "up to 512 GB"). A number
 * with a unit is what the question is about and weighs in full; a bare one is light.
 */
export function analyzeQuestion(text: string): QueryTerm[] {
  return tokens(text).map((t) => {
    const primary = SYNONYMS.get(t.stemmed) ?? t.stemmed;
    if (t.number) return { term: primary, senses: [primary, t.bounded ? HAS_NUMBER : HAS_BOUND], weight: t.unit ? 1 : LIGHT_WEIGHT };
    return { term: primary, senses: SENSES.get(t.stemmed) ?? [primary], weight: isLight(primary) ? LIGHT_WEIGHT : 1 };
  });
}
