import { analyze, words } from './analyze.js';
import { isLight } from './lightWords.js';

/**
 * What a spoken answer may say besides the facts: the words of answering itself ("great
 * question", "claro que sí"), in English and Spanish.
 */
const GLUE = `great good question answer answers thanks thank glad happy ask asked asking absolutely course sure yes exactly
indeed team check hope help chat viewer viewers everyone friends right now today here note remember worth mention simply
fact facts info information details know say said love
buena bueno pregunta respuesta gracias claro exacto genial perfecto correcto equipo recordad ojo nota chat informacion
datos detalles sabemos decir dicho encanta`;

const NUMBER_WORDS: Record<string, string> = {
  // "one", "uno", "una" are articles and pronouns as often as numbers: left out.
  two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10', eleven: '11', twelve: '12',
  dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9', diez: '10', once: '11', doce: '12',
};

const GLUE_TERMS: ReadonlySet<string> = new Set(analyze(GLUE));

/**
 * A generated sentence that strays this far from the facts is not spoken: past this share of
 * its content terms unknown to the facts, the question, and answering itself.
 */
export const MAX_UNSUPPORTED_SHARE = 0.25;

export interface GroundingVerdict {
  grounded: boolean;
  /** Terms and numbers the sentence has and the facts do not. */
  unsupported: string[];
}

/**
 * Whether generated sentences stay inside the facts: every number they say must be a number
 * of the facts (a wrong price or date is the costliest invention), and at most
 * `MAX_UNSUPPORTED_SHARE` of their content terms (analyzed as retrieval analyzes them) may
 * come from outside the facts, the question and `context` (names, the topic). Light words
 * ("take", "long") are free. A lexical check: it catches invented specifics, not a fact
 * restated wrongly with the facts' own words.
 */
export function groundingCheck(facts: readonly string[], context: readonly string[] = []): (sentence: string) => GroundingVerdict {
  const known = new Set([...facts, ...context].flatMap((text) => analyze(text)));
  const knownNumbers = new Set(facts.flatMap(numbersOf));
  return (sentence) => {
    const strayNumbers = numbersOf(sentence).filter((n) => !knownNumbers.has(n));
    const terms = analyze(sentence).filter((term) => !/^\d+$/.test(term) && !NUMBER_WORDS[term] && !GLUE_TERMS.has(term) && !isLight(term));
    const unknown = terms.filter((term) => !known.has(term));
    const grounded = strayNumbers.length === 0 && (terms.length === 0 || unknown.length / terms.length <= MAX_UNSUPPORTED_SHARE);
    return { grounded, unsupported: [...new Set([...strayNumbers, ...unknown])] };
  };
}

/** Numbers in a text, digits or number words: `3 to 5`, `two-year` → 3, 5, 2. */
function numbersOf(text: string): string[] {
  return words(text).flatMap((word) => {
    if (/^\d+$/.test(word)) return [String(Number(word))];
    const spelled = NUMBER_WORDS[word];
    return spelled ? [spelled] : [];
  });
}
