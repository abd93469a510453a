import { statSync } from 'node:fs';
import path from 'node:path';
import type { CtaPlacement, OverlayTemplate, OverlayText } from '../decisions/types.js';
import { overlayImagesDir } from './overlayAssets.js';
import {
  COLOUR_PATTERN,
  expectBoolean,
  expectHttpsLink,
  expectInteger,
  expectList,
  expectObject,
  expectPattern,
  expectText,
  failTemplate,
  ID_PATTERN,
  IMAGE_PATTERN,
  LANGUAGE_PATTERN,
  REGION_PATTERN,
  required,
  TOPIC_PATTERN,
  type FieldObject,
} from './templateFields.js';

export const CTA_PLACEMENTS: readonly CtaPlacement[] = ['lower_third_cta', 'side_card', 'badge'];
export const TEXT_LIMITS = { headline: 80, body: 160, action: 24, sponsor: 40 } as const;

const TEMPLATE_FIELDS = [
  'id',
  'placement',
  'headline',
  'body',
  'action',
  'link',
  'image',
  'colours',
  'sponsor',
  'topics',
  'languages',
  'language',
  'translations',
  'regions',
  'requiresConsent',
  'frequencyCap',
  'inventory',
  'guaranteedImpressions',
] as const;

export interface TemplateValidationOptions {
  /** Whether assets/overlays/images holds this file name; the default looks on disk. */
  imageExists?: (fileName: string) => boolean;
}

export const imageExistsIn =
  (imagesDir: string = overlayImagesDir()) =>
  (fileName: string): boolean => {
    try {
      return statSync(path.join(imagesDir, fileName)).isFile();
    } catch {
      return false;
    }
  };

function optional<T>(
  object: FieldObject,
  key: string,
  check: (value: unknown) => T,
): T | undefined {
  return object[key] === undefined ? undefined : check(object[key]);
}

function colours(value: unknown, field: string): OverlayTemplate['colours'] {
  const object = expectObject(value, field, ['background', 'text', 'accent']);
  const colour = (key: string) =>
    expectPattern(
      required(object, key, field),
      `${field}.${key}`,
      COLOUR_PATTERN,
      'OVERLAY_BAD_COLOUR',
    );
  return { background: colour('background'), text: colour('text'), accent: colour('accent') };
}

function regions(value: unknown, field: string): NonNullable<OverlayTemplate['regions']> {
  const object = expectObject(value, field, ['allow', 'deny']);
  const list = (key: string) =>
    optional(object, key, (v) =>
      expectList(v, `${field}.${key}`, REGION_PATTERN, 'OVERLAY_BAD_REGION', { nonEmpty: true }),
    );
  const [allow, deny] = [list('allow'), list('deny')];
  return { ...(allow && { allow }), ...(deny && { deny }) };
}

function frequencyCap(value: unknown, field: string): OverlayTemplate['frequencyCap'] {
  const object = expectObject(value, field, ['maxPerSession', 'minGapMs']);
  return {
    maxPerSession: expectInteger(
      required(object, 'maxPerSession', field),
      `${field}.maxPerSession`,
      1,
    ),
    // 0 is a legitimate "no gap"; every other count in a template must be positive.
    minGapMs: expectInteger(required(object, 'minGapMs', field), `${field}.minGapMs`, 0),
  };
}

function placement(value: unknown, field: string): CtaPlacement {
  if (!CTA_PLACEMENTS.includes(value as CtaPlacement)) {
    failTemplate('OVERLAY_BAD_PLACEMENT', field, `must be one of ${CTA_PLACEMENTS.join(', ')}`);
  }
  return value as CtaPlacement;
}

function image(value: unknown, field: string, exists: (fileName: string) => boolean): string {
  const fileName = expectPattern(value, field, IMAGE_PATTERN, 'OVERLAY_BAD_IMAGE');
  if (!exists(fileName)) failTemplate('OVERLAY_IMAGE_MISSING', field, `no image ${fileName}`);
  return fileName;
}

const TRANSLATION_FIELDS = ['headline', 'body', 'action', 'link'] as const;

function translations(value: unknown, field: string): Record<string, OverlayText> {
  const object = expectObject(value, field, Object.keys(value ?? {}));
  const entries = Object.entries(object);
  if (entries.length === 0 || entries.length > 32) {
    failTemplate('OVERLAY_BAD_LANGUAGE', field, 'must hold 1-32 languages');
  }
  return Object.fromEntries(
    entries.map(([language, text]) => {
      const at = `${field}.${language}`;
      expectPattern(language, at, LANGUAGE_PATTERN, 'OVERLAY_BAD_LANGUAGE');
      const t = expectObject(text, at, TRANSLATION_FIELDS);
      const translated: OverlayText = {
        headline: expectText(required(t, 'headline', at), `${at}.headline`, TEXT_LIMITS.headline),
        ...(t.body !== undefined && { body: expectText(t.body, `${at}.body`, TEXT_LIMITS.body) }),
        ...(t.action !== undefined && { action: expectText(t.action, `${at}.action`, TEXT_LIMITS.action) }),
        ...(t.link !== undefined && { link: expectHttpsLink(t.link, `${at}.link`) }),
      };
      return [language, translated];
    }),
  );
}

/**
 * A template with text in several languages names the language of its own text, translates
 * into others only, and lists (if it lists any) only languages it has text in: a viewer never
 * gets a CTA in a language the catalog did not write it in.
 */
function checkLanguages(template: OverlayTemplate, field: string): void {
  const { language, translations: byLanguage, languages } = template;
  if (byLanguage === undefined) return;
  if (language === undefined) failTemplate('OVERLAY_MISSING_FIELD', `${field}.language`, 'is required with translations');
  if (byLanguage[language!]) failTemplate('OVERLAY_BAD_LANGUAGE', `${field}.translations.${language}`, 'repeats the template\'s own language');
  const written = new Set([language, ...Object.keys(byLanguage)]);
  const unwritten = languages?.find((l) => !written.has(l));
  if (unwritten) failTemplate('OVERLAY_BAD_LANGUAGE', `${field}.languages`, `lists ${unwritten}, which has no text`);
}

function checkCommitment(template: OverlayTemplate, field: string): void {
  const { guaranteedImpressions, inventory, sponsor } = template;
  if (guaranteedImpressions === undefined) return;
  if (sponsor === undefined) {
    failTemplate(
      'OVERLAY_GUARANTEE_NEEDS_SPONSOR',
      `${field}.guaranteedImpressions`,
      'needs a sponsor',
    );
  }
  if (inventory !== undefined && guaranteedImpressions > inventory) {
    failTemplate(
      'OVERLAY_GUARANTEE_EXCEEDS_INVENTORY',
      `${field}.guaranteedImpressions`,
      'exceeds inventory',
    );
  }
}

/**
 * Validates ONE template object (from the catalog file or pushed through the API) and returns
 * a clean copy holding only known fields; throws InvalidOverlayTemplateError with a stable code.
 */
export function validateOverlayTemplate(
  value: unknown,
  options: TemplateValidationOptions = {},
  field = 'template',
): OverlayTemplate {
  const o = expectObject(value, field, TEMPLATE_FIELDS);
  const at = (key: string) => `${field}.${key}`;
  const text = (key: keyof typeof TEXT_LIMITS) => (v: unknown) =>
    expectText(v, at(key), TEXT_LIMITS[key]);
  const count = (key: string) => (v: unknown) => expectInteger(v, at(key), 1);
  const template: OverlayTemplate = {
    id: expectPattern(required(o, 'id', field), at('id'), ID_PATTERN, 'OVERLAY_BAD_ID'),
    placement: placement(required(o, 'placement', field), at('placement')),
    headline: text('headline')(required(o, 'headline', field)),
    body: optional(o, 'body', text('body')),
    action: optional(o, 'action', text('action')),
    link: optional(o, 'link', (v) => expectHttpsLink(v, at('link'))),
    image: optional(o, 'image', (v) =>
      image(v, at('image'), options.imageExists ?? imageExistsIn()),
    ),
    colours: colours(required(o, 'colours', field), at('colours')),
    sponsor: optional(o, 'sponsor', text('sponsor')),
    topics: expectList(
      required(o, 'topics', field),
      at('topics'),
      TOPIC_PATTERN,
      'OVERLAY_BAD_TOPIC',
      {
        nonEmpty: false,
      },
    ),
    languages: optional(o, 'languages', (v) =>
      expectList(v, at('languages'), LANGUAGE_PATTERN, 'OVERLAY_BAD_LANGUAGE', { nonEmpty: true }),
    ),
    language: optional(o, 'language', (v) =>
      expectPattern(v, at('language'), LANGUAGE_PATTERN, 'OVERLAY_BAD_LANGUAGE'),
    ),
    translations: optional(o, 'translations', (v) => translations(v, at('translations'))),
    regions: optional(o, 'regions', (v) => regions(v, at('regions'))),
    requiresConsent: expectBoolean(required(o, 'requiresConsent', field), at('requiresConsent')),
    frequencyCap: frequencyCap(required(o, 'frequencyCap', field), at('frequencyCap')),
    inventory: optional(o, 'inventory', count('inventory')),
    guaranteedImpressions: optional(o, 'guaranteedImpressions', count('guaranteedImpressions')),
  };
  checkCommitment(template, field);
  checkLanguages(template, field);
  return dropUndefined(template);
}

function dropUndefined(template: OverlayTemplate): OverlayTemplate {
  const entries = Object.entries(template).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries) as unknown as OverlayTemplate;
}

/** Validates a whole catalog (a JSON array of templates): every template, and unique ids. */
export function validateOverlayTemplates(
  value: unknown,
  options: TemplateValidationOptions = {},
): OverlayTemplate[] {
  if (!Array.isArray(value)) failTemplate('OVERLAY_NOT_ARRAY', 'templates', 'must be a JSON array');
  const templates = (value as unknown[]).map((t, i) =>
    validateOverlayTemplate(t, options, `templates[${i}]`),
  );
  const seen = new Set<string>();
  templates.forEach((t, i) => {
    if (seen.has(t.id))
      failTemplate('OVERLAY_DUPLICATE_ID', `templates[${i}].id`, `${t.id} repeats`);
    seen.add(t.id);
  });
  return templates;
}

export function parseOverlayTemplates(json: string, options: TemplateValidationOptions = {}) {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    failTemplate('OVERLAY_BAD_JSON', 'templates', `is not JSON (${(error as Error).message})`);
  }
  return validateOverlayTemplates(value, options);
}
