import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DEFAULT_PERSONAS_DIR,
  PersonaNotFoundError,
  PersonaValidationError,
  getPersona,
  loadPersonas,
  parsePersona,
} from '../../pipeline/persona/index.js';

const LOGOS = join(DEFAULT_PERSONAS_DIR, 'logos');
type Json = { [key: string]: unknown };
const ava = (): Json => JSON.parse(readFileSync(join(DEFAULT_PERSONAS_DIR, 'ava.json'), 'utf8'));

/** Ava's document with the field at dotted `path` set to `value` (deleted when undefined). */
function edit(path: string, value: unknown): Json {
  const json = ava();
  const keys = path.split('.');
  const last = keys.pop() as string;
  let target = json;
  for (const key of keys) target = target[key] as Json;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return json;
}

function rejects(json: unknown, path: string, reason: RegExp, logosDir?: string): void {
  assert.throws(
    () => parsePersona(json, 'test.json', { logosDir }),
    (err: unknown) => {
      assert.ok(err instanceof PersonaValidationError, String(err));
      assert.equal(err.code, 'PERSONA_INVALID');
      assert.equal(err.path, path);
      assert.match(err.reason, reason);
      assert.ok(err.message.includes(`${path}: `), err.message);
      return true;
    },
  );
}

describe('parsePersona', () => {
  it('accepts a shipped persona unchanged', () => {
    const persona = parsePersona(ava(), 'ava.json', { logosDir: LOGOS });
    assert.equal(persona.id, 'ava');
    assert.equal(persona.voice.variant, 'f3');
  });

  it('names an unknown field at any depth', () => {
    rejects({ ...ava(), mood: 'happy' }, 'mood', /unknown field/);
    rejects(edit('look.hat', 'fedora'), 'look.hat', /unknown field/);
    rejects(
      edit('branding.lowerThird.font', 'Comic Sans'),
      'branding.lowerThird.font',
      /unknown field/,
    );
  });

  it('names a bad colour', () => {
    for (const bad of ['red', '#fff', '#12345g', 0x123456, '#1234567']) {
      rejects(edit('look.skin', bad), 'look.skin', /expected #rrggbb colour/);
    }
    rejects(edit('look.hair.colour', 'brown'), 'look.hair.colour', /#rrggbb/);
  });

  it('names a bad voice rate or pitch', () => {
    for (const bad of [79, 451, 150.5, '150']) {
      rejects(edit('voice.rateWpm', bad), 'voice.rateWpm', /integer in 80\.\.450/);
    }
    rejects(edit('voice.pitch', 101), 'voice.pitch', /0\.\.100/);
  });

  it('names bad enums, slugs and missing fields', () => {
    rejects(edit('look.hair.style', 'mohawk'), 'look.hair.style', /one of short \| long/);
    rejects(edit('voice.engine', 'piper'), 'voice.engine', /one of espeak/);
    rejects({ ...ava(), id: 'Ava!' }, 'id', /slug/);
    rejects({ ...ava(), id: 'a'.repeat(41) }, 'id', /slug/);
    rejects({ ...ava(), language: 'english' }, 'language', /language tag/);
    rejects(edit('look.eyes', undefined), 'look.eyes', /missing required field/);
    rejects([], '', /expected an object/);
  });

  it('rejects logo names that could leave the logos folder', () => {
    for (const bad of [
      '../ava.json',
      '../../etc/passwd.png',
      'sub/logo.png',
      'a\\b.png',
      '/abs.png',
      '..png',
      'logo.svg',
    ]) {
      rejects(edit('branding.logo', bad), 'branding.logo', /bare \.png file name/, LOGOS);
    }
  });

  it('requires a named logo to exist and be a PNG', () => {
    rejects(edit('branding.logo', 'nope.png'), 'branding.logo', /file not found/, LOGOS);

    const dir = mkdtempSync(join(tmpdir(), 'persona-logo-'));
    try {
      writeFileSync(join(dir, 'fake.png'), 'GIF89a not a png');
      rejects(edit('branding.logo', 'fake.png'), 'branding.logo', /not a PNG/, dir);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('loadPersonas', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'personas-'));
  after(() => rmSync(tmp, { recursive: true }));

  it('loads the shipped personas, which differ in look, voice and branding', () => {
    const personas = loadPersonas().list();
    assert.ok(personas.length >= 3);
    const distinct = (key: (p: (typeof personas)[number]) => unknown) =>
      new Set(personas.map((p) => JSON.stringify(key(p)))).size;
    assert.equal(
      distinct((p) => p.id),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.look.skin),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.look.hair.style),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.look.accessory),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.look.shirt),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.branding.lowerThird.style),
      personas.length,
    );
    assert.equal(
      distinct((p) => [p.voice.voice, p.voice.variant]),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.voice.pitch),
      personas.length,
    );
    assert.equal(
      distinct((p) => p.voice.rateWpm),
      personas.length,
    );
    const spanish = personas.find((p) => p.language === 'es-ES');
    assert.equal(spanish?.voice.voice, 'es');
  });

  it('resolves a persona logo inside the logos folder', () => {
    const catalog = loadPersonas();
    const withLogo = catalog.list().find((p) => p.branding.logo !== undefined);
    assert.ok(withLogo, 'one shipped persona has a logo');
    assert.equal(
      catalog.logoPath(withLogo),
      join(DEFAULT_PERSONAS_DIR, 'logos', withLogo.branding.logo!),
    );
  });

  it('requires file names to match ids', () => {
    mkdirSync(join(tmp, 'mismatch'));
    writeFileSync(join(tmp, 'mismatch', 'bob.json'), JSON.stringify(ava()));
    assert.throws(
      () => loadPersonas(join(tmp, 'mismatch')),
      (err: unknown) => {
        assert.ok(err instanceof PersonaValidationError);
        assert.equal(err.path, 'id');
        return true;
      },
    );
  });

  it('reports broken JSON with its file', () => {
    mkdirSync(join(tmp, 'broken'));
    writeFileSync(join(tmp, 'broken', 'ava.json'), '{ "id": ');
    assert.throws(() => loadPersonas(join(tmp, 'broken')), /ava\.json: \(root\): invalid JSON/);
  });
});

describe('getPersona', () => {
  it('returns shipped personas and throws PERSONA_UNKNOWN otherwise', () => {
    assert.equal(getPersona('lucia').language, 'es-ES');
    assert.throws(
      () => getPersona('nobody'),
      (err: unknown) =>
        err instanceof PersonaNotFoundError &&
        err.code === 'PERSONA_UNKNOWN' &&
        err.personaId === 'nobody',
    );
  });
});
