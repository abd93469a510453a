import { SCRIPT_LANGUAGES, type ScriptLanguage } from '../script/language.js';
import { KnowledgeError, knowledgeInvalid } from './errors.js';
import type { KnowledgeFact } from './KnowledgeFact.js';
import { KNOWLEDGE_LIMITS } from './limits.js';

/** Controls (C0, C1) and format characters, which include the bidirectional overrides and isolates. */
const NOT_PLAIN_TEXT = /[\p{Cc}\p{Cf}]/u;

/**
 * Validates a `{facts: [{text, language?}]}` body into facts with ids. Shape errors are
 * `KNOWLEDGE_INVALID`, too many or too long facts `KNOWLEDGE_TOO_LARGE`, hidden characters
 * `KNOWLEDGE_TEXT_INVALID`; each message names the fact.
 */
export function parseFacts(body: unknown): KnowledgeFact[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw knowledgeInvalid('the body must be {facts: [{text, language?}]}');
  const extra = Object.keys(body).find((key) => key !== 'facts');
  if (extra !== undefined) throw knowledgeInvalid(`unknown field "${extra.slice(0, 40)}"`);
  const { facts } = body as { facts?: unknown };
  if (!Array.isArray(facts)) throw knowledgeInvalid('"facts" must be an array');
  if (facts.length > KNOWLEDGE_LIMITS.maxFacts) throw new KnowledgeError('KNOWLEDGE_TOO_LARGE', `a show knows at most ${KNOWLEDGE_LIMITS.maxFacts} facts`);
  return facts.map((fact, i) => parseFact(fact, i));
}

function parseFact(fact: unknown, i: number): KnowledgeFact {
  const where = `facts[${i}]`;
  if (typeof fact !== 'object' || fact === null || Array.isArray(fact)) throw knowledgeInvalid(`${where} must be {text, language?}`);
  const extra = Object.keys(fact).find((key) => key !== 'text' && key !== 'language');
  if (extra !== undefined) throw knowledgeInvalid(`${where} has an unknown field "${extra.slice(0, 40)}"`);
  const { text, language } = fact as { text?: unknown; language?: unknown };
  if (typeof text !== 'string') throw knowledgeInvalid(`${where}.text must be a string`);
  if (NOT_PLAIN_TEXT.test(text)) throw new KnowledgeError('KNOWLEDGE_TEXT_INVALID', `${where}.text contains control, format or bidirectional-override characters`);
  const clean = text.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (clean === '') throw knowledgeInvalid(`${where}.text is empty`);
  if ([...clean].length > KNOWLEDGE_LIMITS.maxFactChars) throw new KnowledgeError('KNOWLEDGE_TOO_LARGE', `${where}.text is longer than ${KNOWLEDGE_LIMITS.maxFactChars} characters`);
  if (language !== undefined && !(SCRIPT_LANGUAGES as readonly unknown[]).includes(language)) throw knowledgeInvalid(`${where}.language must be one of ${SCRIPT_LANGUAGES.join(', ')}`);
  return { id: `f${i + 1}`, text: clean, ...(language !== undefined && { language: language as ScriptLanguage }) };
}
