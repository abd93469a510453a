import { stem } from './stem.js';
import { STOPWORDS } from './stopwords.js';
import { SYNONYMS } from './synonyms.js';

/** Lower case, accents folded (`Envío` → `envio`), `ñ` kept apart from `n` only by folding too. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Two-word spellings of one word, written together before anything else. */
const JOINED = /\b(?:give\s+away|e\s*-?\s*mail)\b/g;
/** Ways of asking how long something takes; they meet the time units of synonyms.ts. */
const DURATION = /\b(?:how\s+(?:long|fast|soon|quickly|many\s+(?:days|hours|minutes|weeks))|cuanto\s+(?:tarda\w*|tiempo|dura\w*)|en\s+cuantos\s+(?:dias|horas|minutos|semanas))\b/g;

/** Words and numbers of folded text; `3-5` is two numbers, `4K` one term. */
export function words(text: string): string[] {
  const text_ = fold(text).replace(DURATION, ' duration ').replace(JOINED, (phrase) => phrase.replace(/[\s-]+/g, ''));
  return text_.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The terms a fact or a question is matched by: folded words without stopwords, stemmed, and
 * mapped onto a shared term where a synonym group has one. Numbers stay as they are.
 */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    if (STOPWORDS.has(word)) continue;
    if (word.length < 2 && !/\d/.test(word)) continue;
    const stemmed = stem(word);
    terms.push(SYNONYMS.get(stemmed) ?? stemmed);
  }
  return terms;
}
