import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSETS_DIR } from '../../lib/paths.js';
import { INTENTS } from '../intent/intents.js';
import { MAX_SPEECH_CHARS } from '../tts/text.js';
import { keysOf, childOf, readJsonFile, readScriptConfig } from './configReader.js';
import { SCRIPT_LANGUAGES } from './language.js';
import type { BannedTerm, DisclaimerRule, PolicyRules } from './PolicyRules.js';
import { placeholdersOf } from './slots.js';

export const DEFAULT_POLICY_FILE = join(ASSETS_DIR, 'script', 'policy.json');

const RULE_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const CATEGORY = /^[a-z][a-z0-9-]{0,31}$/;
const REGION = /^[A-Z]{2,3}$/;

/**
 * Validates a policy document:
 * `{ maxChars, bannedTerms: { term: category }, disclaimers: { id: { intent, region?, placement, when?, en, es } } }`.
 */
export function parsePolicy(json: unknown, source: string): PolicyRules {
  return readScriptConfig(json, source, (root) => {
    const maxChars = root.integer('maxChars', 40, MAX_SPEECH_CHARS);

    const bannedJson = childOf(json, 'bannedTerms');
    const bannedReader = root.object('bannedTerms');
    const bannedTerms: BannedTerm[] = keysOf(bannedJson).map((term) => {
      if (term.trim() === '' || term.length > 60)
        bannedReader.fail(term, 'a term is 1..60 characters');
      return {
        term,
        category: bannedReader.string(term, { pattern: CATEGORY, describe: 'a category slug' }),
      };
    });
    bannedReader.finish();

    const disclaimersJson = childOf(json, 'disclaimers');
    const disclaimersReader = root.object('disclaimers');
    const disclaimers: DisclaimerRule[] = keysOf(disclaimersJson).map((id) => {
      if (!RULE_ID.test(id)) disclaimersReader.fail(id, `rule id must match ${RULE_ID}`);
      const r = disclaimersReader.object(id);
      const intent = r.oneOf('intent', INTENTS);
      const region = r.optionalString('region', {
        pattern: REGION,
        describe: 'an upper-case region code like EU',
      });
      const placement = r.oneOf('placement', ['end', 'anywhere'] as const);
      const when = r.has('when') ? r.oneOf('when', ['always', 'sponsored'] as const) : 'always';
      const text = {
        en: r.string('en', { maxLength: 160 }),
        es: r.string('es', { maxLength: 160 }),
      };
      for (const language of SCRIPT_LANGUAGES) {
        for (const name of placeholdersOf(text[language])) {
          if (name !== 'sponsor')
            r.fail(language, `only the {sponsor} slot is allowed, not {${name}}`);
        }
      }
      r.finish();
      return region === undefined
        ? { id, intent, placement, when, text }
        : { id, intent, region, placement, when, text };
    });
    disclaimersReader.finish();
    root.finish();
    return { maxChars, bannedTerms, disclaimers };
  });
}

export function loadPolicy(file: string = DEFAULT_POLICY_FILE): PolicyRules {
  return parsePolicy(readJsonFile(file, readFileSync(file, 'utf8')), file);
}
