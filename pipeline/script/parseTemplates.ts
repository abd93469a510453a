import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASSETS_DIR } from '../../lib/paths.js';
import { TONES } from '../persona/index.js';
import { childOf, keysOf, readJsonFile, readScriptConfig } from './configReader.js';
import { SCRIPT_LANGUAGES } from './language.js';
import { isSlot, placeholdersOf, type Slot } from './slots.js';
import { isTemplateKind, TemplateSet, type TemplateVariant } from './TemplateSet.js';

export const DEFAULT_TEMPLATES_FILE = join(ASSETS_DIR, 'script', 'templates.json');
export const MAX_TEMPLATE_CHARS = 300;

const TEMPLATE_TONES = ['default', ...TONES] as const;
const VARIANT_ID = /^[a-z0-9][a-z0-9-]{0,23}$/;

/**
 * Validates a templates document: `{ intent: { tone|default: { en|es: { variantId: text } } } }`
 * (`answer_unknown` too, see TemplateSet).
 * Unknown keys and unknown `{slots}` throw `ScriptConfigError` naming the place.
 */
export function parseTemplates(json: unknown, source: string): TemplateSet {
  return readScriptConfig(json, source, (root) => {
    const byPlace = new Map<string, TemplateVariant[]>();
    for (const intent of keysOf(json)) {
      if (!isTemplateKind(intent)) root.fail(intent, 'unknown intent');
      if (intent === 'off_policy')
        root.fail(intent, 'off_policy is refused upstream and has no template');
      const intentJson = childOf(json, intent);
      const intentReader = root.object(intent);
      for (const tone of keysOf(intentJson)) {
        const toneJson = childOf(intentJson, tone);
        if (!(TEMPLATE_TONES as readonly string[]).includes(tone)) {
          intentReader.fail(tone, `expected one of ${TEMPLATE_TONES.join(' | ')}`);
        }
        const toneReader = intentReader.object(tone);
        for (const language of keysOf(toneJson)) {
          if (!(SCRIPT_LANGUAGES as readonly string[]).includes(language)) {
            toneReader.fail(language, `expected one of ${SCRIPT_LANGUAGES.join(' | ')}`);
          }
          const place = `${intent}.${tone}.${language}`;
          const languageReader = toneReader.object(language);
          const variants: TemplateVariant[] = [];
          for (const variantId of keysOf(childOf(toneJson, language))) {
            if (!VARIANT_ID.test(variantId))
              languageReader.fail(variantId, `variant id must match ${VARIANT_ID}`);
            const text = languageReader.string(variantId, { maxLength: MAX_TEMPLATE_CHARS });
            const names = placeholdersOf(text);
            const unknown = names.find((name) => !isSlot(name));
            if (unknown !== undefined) languageReader.fail(variantId, `unknown slot {${unknown}}`);
            const slots: Slot[] = names.filter(isSlot);
            variants.push({ id: `${place}.${variantId}`, text, slots });
          }
          if (variants.length === 0) toneReader.fail(language, 'needs at least one variant');
          languageReader.finish();
          byPlace.set(place, variants);
        }
        toneReader.finish();
      }
      intentReader.finish();
    }
    root.finish();
    return new TemplateSet(source, byPlace);
  });
}

/** Reads and validates a templates file (synchronously: it runs once at startup). */
export function loadTemplates(file: string = DEFAULT_TEMPLATES_FILE): TemplateSet {
  return parseTemplates(readJsonFile(file, readFileSync(file, 'utf8')), file);
}
