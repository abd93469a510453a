import { analyzeQuestion, words } from './analyze.js';
import { stem } from './stem.js';
import { SYNONYMS } from './synonyms.js';

/**
 * What kind of answer a question asks for ("how much" a price, "when" a time, "where" a
 * place, "how long" a duration, "how many" a count), and which kinds a fact states. A fact
 * that shares a question's words but states no answer of its kind does not answer it: "how
 * long does the replay stay online" against "the replay is on our website the next morning".
 * Both read the text as `words` writes it (folded, numbers as digits, "how long" as
 * `duration`, "7 pm" and "what time" as `clock`).
 */
export type AnswerType = 'price' | 'duration' | 'time' | 'place' | 'count';

const WEEKDAYS = 'monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays?|weekends?|lunes|martes|miercoles|jueves|viernes|sabados?|domingos?|laborables?';
const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre';
const UNITS = 'seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|segundos?|minutos?|horas?|dias?|semanas?|mes|meses|anos?';

const ASKED: readonly (readonly [AnswerType, RegExp])[] = [
  ['duration', /\bduration\b/],
  ['time', /\bwhen\b|\bclock\b|\b(?:what|which)\s+(?:day|days|night|date|month)\b|\bcuando\b|\b(?:que|q)\s+(?:dia|dias|noche|fecha|mes)\b/],
  ['place', /\bwhere\b|\b(?:which|what)\s+countr|\bdonde\b|\b(?:que|q|cuales|cuantos)\s+pais/],
  ['price', /\bhow\s+much\b|\bprices?\b|\bcosts?\b|\bprecios?\b|\bcuestan?\b|\bcoste\b|\bcosto\b|\bcuanto\s+valen?\b/],
  ['count', /\bhow\s+many\b|\bcuant[oa]s\b/],
];

const STATES: readonly (readonly [AnswerType, RegExp])[] = [
  ['price', /\b\d+\s+(?:euros?|eur|dollars?|usd|bucks|pounds|quid)\b|\bfree\b|\bgratis\b|\bgratuit[oa]s?\b|\bno\s+extra\s+cost\b|\bsin\s+coste\b/],
  ['duration', new RegExp(`\\b\\d+\\s+(?:(?:to|a|or|o|-)\\s+\\d+\\s+)?(?:business\\s+|working\\s+)?(?:${UNITS})\\b|\\buntil\\b|\\bhasta\\s+(?:el\\s+|la\\s+|las\\s+|los\\s+)?(?:${WEEKDAYS}|medianoche|fin|final)\\b`)],
  ['time', new RegExp(`\\bclock\\b|\\b(?:${WEEKDAYS}|${MONTHS})\\b|\\b(?:morning|afternoon|evening|night|midnight|noon|medianoche|mediodia|noche)\\b|\\b\\d+(?:st|nd|rd|th)\\b|\\bdia\\s+\\d+\\b|\\b(?:next|this)\\s+(?:week|month|year)\\b|\\b(?:mes|semana|ano)\\s+que\\s+viene\\b|\\bproxim[oa]\\s+(?:mes|semana|ano)\\b|\\bnow\\b|\\bya\\b|\\bat\\s+the\\s+end\\b|\\bduring\\b|\\bal\\s+final\\b|\\bdurante\\b`)],
  ['count', /\b\d+\b/],
];

const COUNTRY = stem('country');
const STORE = SYNONYMS.get(stem('store'))!;

/** The kind of answer the question asks for, if it asks for one kind (a yes/no question does not). */
export function askedType(question: string): AnswerType | undefined {
  const text = words(question).join(' ');
  return ASKED.find(([, pattern]) => pattern.test(text))?.[0];
}

/** The kinds of answer a fact states. */
export function answerTypes(fact: string): Set<AnswerType> {
  const text = words(fact).join(' ');
  const types = new Set<AnswerType>(STATES.filter(([, pattern]) => pattern.test(text)).map(([type]) => type));
  if (analyzeQuestion(fact).some((t) => t.senses.includes(COUNTRY) || t.term === STORE)) types.add('place');
  return types;
}

/** Whether a fact stating `types` can answer a question asking for `asked`: a time is also answered by a duration ("when will it arrive": "in 3 to 5 days"). */
export function answersType(asked: AnswerType | undefined, types: ReadonlySet<AnswerType>): boolean {
  if (asked === undefined) return true;
  return types.has(asked) || (asked === 'time' && types.has('duration'));
}
