import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { OverlayCatalog } from '../../server/overlays/OverlayCatalog.js';
import {
  InvalidOverlayTemplateError,
  OverlayCatalogError,
} from '../../server/overlays/overlayErrors.js';
import {
  parseOverlayTemplates,
  validateOverlayTemplate,
  validateOverlayTemplates,
} from '../../server/overlays/validateOverlayTemplate.js';

const imageExists = (name: string) => name === 'ledger.png';
const base = () => ({
  id: 'promo-1',
  placement: 'lower_third_cta',
  headline: 'Try it free',
  body: 'Thirty days, no card.',
  action: 'Start',
  link: 'https://onair.example/trial',
  image: 'ledger.png',
  colours: { background: '#112233', text: '#FFFFFF', accent: '#ff5300' },
  sponsor: 'Ledger',
  topics: ['ai', 'tech'],
  languages: ['en'],
  regions: { allow: ['US', 'CA'], deny: ['CU'] },
  requiresConsent: false,
  frequencyCap: { maxPerSession: 2, minGapMs: 60000 },
  inventory: 500,
  guaranteedImpressions: 100,
});

function codeOf(mutate: (t: Record<string, unknown>) => void): string {
  const template = base() as Record<string, unknown>;
  mutate(template);
  try {
    validateOverlayTemplate(template, { imageExists });
  } catch (error) {
    assert.ok(error instanceof InvalidOverlayTemplateError, String(error));
    return error.code;
  }
  return 'accepted';
}

test('the committed catalog loads: 7 templates covering the demo cases', () => {
  const catalog = OverlayCatalog.load();
  assert.equal(catalog.templates.length, 7);
  const ledger = catalog.get('ledger-card')!;
  assert.equal(ledger.sponsor, 'Ledger');
  assert.ok(ledger.guaranteedImpressions! > 0);
  assert.ok(catalog.imagePath(ledger)!.endsWith(path.join('overlays', 'images', 'ledger.png')));
  assert.deepEqual(catalog.get('oferta-directo')!.languages, ['es']);
  assert.ok(catalog.get('us-trial-promo')!.regions!.allow!.includes('US'));
  assert.equal(catalog.get('picks-for-you')!.requiresConsent, true);
  assert.equal(catalog.get('launch-tshirt')!.inventory, 500);
  assert.equal(catalog.has('nope'), false);
});

test('a valid template comes back clean, with no undefined keys', () => {
  const rest: Record<string, unknown> = base();
  delete rest.body;
  delete rest.image;
  const template = validateOverlayTemplate(rest, { imageExists });
  assert.equal('body' in template, false);
  assert.equal(template.link, 'https://onair.example/trial');
  assert.deepEqual(template, { ...rest, link: 'https://onair.example/trial' });
});

test('XSS-looking text is plain text (the page escapes it); script links are refused', () => {
  const headline = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  assert.equal(
    validateOverlayTemplate({ ...base(), headline }, { imageExists }).headline,
    headline,
  );
  assert.equal(
    codeOf((t) => (t.link = 'javascript:alert(1)')),
    'OVERLAY_BAD_LINK',
  );
  assert.equal(
    codeOf((t) => (t.link = ' JavaScript:alert(1)')),
    'OVERLAY_BAD_LINK',
  );
  assert.equal(
    codeOf((t) => (t.link = 'data:text/html,<script>alert(1)</script>')),
    'OVERLAY_BAD_LINK',
  );
});

test('each bad field is refused with its stable code', () => {
  const cases: Array<[string, (t: Record<string, unknown>) => void]> = [
    ['OVERLAY_BAD_ID', (t) => (t.id = 'Bad_ID')],
    ['OVERLAY_BAD_ID', (t) => (t.id = 'a'.repeat(41))],
    ['OVERLAY_BAD_ID', (t) => (t.id = '-leading')],
    ['OVERLAY_BAD_PLACEMENT', (t) => (t.placement = 'poll_card')],
    ['OVERLAY_BAD_PLACEMENT', (t) => (t.placement = 'none')],
    ['OVERLAY_TEXT_TOO_LONG', (t) => (t.headline = 'h'.repeat(81))],
    ['OVERLAY_TEXT_TOO_LONG', (t) => (t.body = 'b'.repeat(161))],
    ['OVERLAY_TEXT_TOO_LONG', (t) => (t.action = 'a'.repeat(25))],
    ['OVERLAY_CONTROL_CHARACTERS', (t) => (t.headline = 'ring\u0007')],
    ['OVERLAY_CONTROL_CHARACTERS', (t) => (t.body = 'two\nlines')],
    ['OVERLAY_CONTROL_CHARACTERS', (t) => (t.action = 'evil\u202egnp')],
    ['OVERLAY_BAD_TEXT', (t) => (t.headline = '   ')],
    ['OVERLAY_BAD_TEXT', (t) => (t.headline = 42)],
    ['OVERLAY_BAD_LINK', (t) => (t.link = 'http://onair.example')],
    ['OVERLAY_BAD_LINK', (t) => (t.link = 'https://user:pw@onair.example')],
    ['OVERLAY_BAD_LINK', (t) => (t.link = 'not a url')],
    [
      'OVERLAY_BAD_COLOUR',
      (t) => (t.colours = { background: '#fff', text: '#000000', accent: '#000000' }),
    ],
    [
      'OVERLAY_BAD_COLOUR',
      (t) => (t.colours = { background: 'red', text: '#000000', accent: '#000000' }),
    ],
    ['OVERLAY_UNKNOWN_FIELD', (t) => (t.colours = { ...(t.colours as object), border: '#000000' })],
    ['OVERLAY_MISSING_FIELD', (t) => (t.colours = { background: '#000000', text: '#000000' })],
    ['OVERLAY_BAD_IMAGE', (t) => (t.image = '../ledger.png')],
    ['OVERLAY_BAD_IMAGE', (t) => (t.image = 'images/ledger.png')],
    ['OVERLAY_BAD_IMAGE', (t) => (t.image = 'ledger.gif')],
    ['OVERLAY_IMAGE_MISSING', (t) => (t.image = 'missing.png')],
    ['OVERLAY_BAD_REGION', (t) => (t.regions = { allow: ['us'] })],
    ['OVERLAY_BAD_REGION', (t) => (t.regions = { deny: ['USA'] })],
    ['OVERLAY_BAD_REGION', (t) => (t.regions = { allow: [] })],
    ['OVERLAY_BAD_LANGUAGE', (t) => (t.languages = ['EN'])],
    ['OVERLAY_BAD_LANGUAGE', (t) => (t.languages = ['en-US'])],
    ['OVERLAY_BAD_LANGUAGE', (t) => (t.languages = ['en', 'en'])],
    ['OVERLAY_BAD_TOPIC', (t) => (t.topics = ['Crypto'])],
    ['OVERLAY_BAD_NUMBER', (t) => (t.frequencyCap = { maxPerSession: 0, minGapMs: 0 })],
    ['OVERLAY_BAD_NUMBER', (t) => (t.frequencyCap = { maxPerSession: 1.5, minGapMs: 0 })],
    ['OVERLAY_BAD_NUMBER', (t) => (t.frequencyCap = { maxPerSession: '3', minGapMs: 0 })],
    ['OVERLAY_BAD_NUMBER', (t) => (t.frequencyCap = { maxPerSession: 1, minGapMs: -1 })],
    ['OVERLAY_BAD_NUMBER', (t) => (t.inventory = 0)],
    ['OVERLAY_BAD_NUMBER', (t) => (t.guaranteedImpressions = -5)],
    ['OVERLAY_BAD_BOOLEAN', (t) => (t.requiresConsent = 'yes')],
    ['OVERLAY_UNKNOWN_FIELD', (t) => (t.onclick = 'alert(1)')],
    ['OVERLAY_MISSING_FIELD', (t) => delete t.headline],
    ['OVERLAY_MISSING_FIELD', (t) => delete t.frequencyCap],
    ['OVERLAY_NOT_OBJECT', (t) => (t.regions = ['US'])],
    ['OVERLAY_GUARANTEE_NEEDS_SPONSOR', (t) => delete t.sponsor],
    ['OVERLAY_GUARANTEE_EXCEEDS_INVENTORY', (t) => (t.guaranteedImpressions = 501)],
  ];
  for (const [code, mutate] of cases) assert.equal(codeOf(mutate), code, `${code}: ${mutate}`);
});

test('errors name the field; a __proto__ key is an unknown field, not a prototype', () => {
  const json = JSON.stringify([base()]).replace('"id":', '"__proto__":{"x":1},"id":');
  assert.throws(
    () => parseOverlayTemplates(json, { imageExists }),
    (e: InvalidOverlayTemplateError) =>
      e.code === 'OVERLAY_UNKNOWN_FIELD' && e.field === 'templates[0].__proto__',
  );
  assert.throws(
    () => validateOverlayTemplates([base(), { ...base(), link: 'ftp://x' }], { imageExists }),
    /templates\[1\]\.link/,
  );
});

test('catalog-level problems: not JSON, not an array, duplicate ids, unreadable file', () => {
  const code = (fn: () => unknown) => {
    try {
      fn();
      return 'accepted';
    } catch (error) {
      return (error as InvalidOverlayTemplateError).code;
    }
  };
  assert.equal(
    code(() => parseOverlayTemplates('{nope', { imageExists })),
    'OVERLAY_BAD_JSON',
  );
  assert.equal(
    code(() => parseOverlayTemplates('{"templates":[]}', { imageExists })),
    'OVERLAY_NOT_ARRAY',
  );
  assert.equal(
    code(() => validateOverlayTemplates([base(), base()], { imageExists })),
    'OVERLAY_DUPLICATE_ID',
  );
  assert.equal(
    code(() => validateOverlayTemplate(null)),
    'OVERLAY_NOT_OBJECT',
  );
  const empty = mkdtempSync(path.join(tmpdir(), 'overlays-'));
  assert.throws(
    () => OverlayCatalog.load(empty),
    (e: OverlayCatalogError) => e.code === 'OVERLAY_CATALOG_UNREADABLE',
  );
  writeFileSync(path.join(empty, 'templates.json'), JSON.stringify([base()]));
  assert.equal(
    code(() => OverlayCatalog.load(empty)),
    'OVERLAY_IMAGE_MISSING',
    'images are looked up in that dir',
  );
});

test('a catalog validates a pushed template against its own images', () => {
  const catalog = OverlayCatalog.load();
  assert.equal(catalog.validate({ ...base(), id: 'pushed' }).image, 'ledger.png');
  assert.throws(
    () => catalog.validate({ ...base(), image: 'nope.png' }),
    /OVERLAY_IMAGE_MISSING|no image/,
  );
});

test('a template can carry several languages: its own text names its language, translations add others', async () => {
  const { localizedText, templateLanguages } = await import('../../server/overlays/templateLanguages.js');
  const multilingual = { ...base(), languages: undefined, language: 'en', translations: { es: { headline: 'Pruébalo gratis', action: 'Empezar', link: 'https://onair.example/es/trial' } } };
  const template = validateOverlayTemplate(JSON.parse(JSON.stringify(multilingual)), { imageExists });
  assert.deepEqual(templateLanguages(template), ['en', 'es']);
  assert.deepEqual(localizedText(template, 'es'), { headline: 'Pruébalo gratis', action: 'Empezar', link: 'https://onair.example/es/trial', language: 'es' });
  assert.equal(localizedText(template, 'fr').headline, 'Try it free', 'no translation: the template\'s own text');
  assert.equal(localizedText(template, 'fr').language, 'en');
  // An older single-language entry stays valid and keeps its meaning: shown where `languages` says, or anywhere.
  const old = validateOverlayTemplate(base(), { imageExists });
  assert.deepEqual(templateLanguages(old), ['en']);
  assert.equal(templateLanguages(validateOverlayTemplate({ ...base(), languages: undefined }, { imageExists })), undefined);
});

test('translations are checked like the text they stand for', () => {
  const es = { headline: 'Pruébalo gratis' };
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { es }; }), 'accepted');
  assert.equal(codeOf((t) => { t.translations = { es }; }), 'OVERLAY_MISSING_FIELD', 'translations need the own language');
  assert.equal(codeOf((t) => { t.language = 'en'; t.languages = ['en', 'fr']; t.translations = { es }; }), 'OVERLAY_BAD_LANGUAGE', 'a listed language without text');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { en: es }; }), 'OVERLAY_BAD_LANGUAGE', 'a translation into its own language');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { 'ES-mx': es }; }), 'OVERLAY_BAD_LANGUAGE');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = {}; }), 'OVERLAY_BAD_LANGUAGE');
  assert.equal(codeOf((t) => { t.language = 'English'; }), 'OVERLAY_BAD_LANGUAGE');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { es: { headline: 'x'.repeat(81) } }; }), 'OVERLAY_TEXT_TOO_LONG');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { es: { headline: 'Hola', link: 'http://x.example' } }; }), 'OVERLAY_BAD_LINK');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { es: { headline: 'Hola', sponsor: 'x' } }; }), 'OVERLAY_UNKNOWN_FIELD');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { es: 'Hola' }; }), 'OVERLAY_NOT_OBJECT');
  assert.equal(codeOf((t) => { t.language = 'en'; t.translations = { es: {} }; }), 'OVERLAY_MISSING_FIELD');
});

test('the committed catalog speaks Spanish wherever it is shown to Spanish viewers', async () => {
  const { localizedText, templateLanguages } = await import('../../server/overlays/templateLanguages.js');
  const catalog = OverlayCatalog.load();
  const forSpanish = catalog.templates.filter((t) => templateLanguages(t)?.includes('es') ?? true);
  assert.ok(forSpanish.length >= 4);
  for (const template of forSpanish) assert.equal(localizedText(template, 'es').language, 'es', template.id);
});
