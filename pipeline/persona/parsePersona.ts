import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { ACCESSORIES, HAIR_STYLES, LOWER_THIRD_STYLES, OUTFITS, TONES, type Persona, type PersonaBranding, type PersonaLook, type PersonaVoice } from '../../lib/media/Persona.js';
import { ObjectReader } from './ObjectReader.js';

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2}|-[0-9]{3})?$/;
const ESPEAK_VOICE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/;
const ESPEAK_VARIANT = /^[A-Za-z0-9_]{1,24}$/;
// A bare file name: no separators, no leading dot (so no `..`), PNG only.
const LOGO_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\.png$/;
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface ParsePersonaOptions {
  /** Folder that holds logo files; when given, a named logo must exist there and be a PNG. */
  logosDir?: string;
}

/**
 * Validates one persona document. Throws `PersonaValidationError` naming the first bad
 * field's path; unknown fields are errors so that typos do not pass silently.
 */
export function parsePersona(
  json: unknown,
  source: string,
  options: ParsePersonaOptions = {},
): Persona {
  const root = new ObjectReader(json, source, '');
  const persona: Persona = {
    id: root.string('id', { pattern: ID, describe: 'a slug matching ^[a-z0-9][a-z0-9-]{0,39}$' }),
    name: root.string('name', { maxLength: 60 }),
    language: root.string('language', { pattern: LANGUAGE, describe: 'a language tag like en-US' }),
    tone: root.oneOf('tone', TONES),
    voice: readVoice(root.object('voice')),
    look: readLook(root.object('look')),
    branding: readBranding(root.object('branding'), options),
  };
  root.finish();
  return persona;
}

function readVoice(r: ObjectReader): PersonaVoice {
  const engine = r.oneOf('engine', ['espeak'] as const);
  const voice = r.string('voice', {
    pattern: ESPEAK_VOICE,
    describe: 'an espeak-ng voice like en-us',
  });
  const variant = r.optionalString('variant', {
    pattern: ESPEAK_VARIANT,
    describe: 'an espeak-ng variant like f3',
  });
  const rateWpm = r.integer('rateWpm', 80, 450);
  const pitch = r.integer('pitch', 0, 100);
  r.finish();
  return variant === undefined
    ? { engine, voice, rateWpm, pitch }
    : { engine, voice, variant, rateWpm, pitch };
}

function readLook(r: ObjectReader): PersonaLook {
  const skin = r.colour('skin');
  const hairReader = r.object('hair');
  const hair = {
    style: hairReader.oneOf('style', HAIR_STYLES),
    colour: hairReader.colour('colour'),
  };
  hairReader.finish();
  const eyes = r.colour('eyes');
  const lips = r.colour('lips');
  const outfit = r.oneOf('outfit', OUTFITS);
  const shirt = r.colour('shirt');
  const accessory = r.oneOf('accessory', ACCESSORIES);
  const bg = r.object('background');
  const background = {
    top: bg.colour('top'),
    bottom: bg.colour('bottom'),
    accent: bg.colour('accent'),
  };
  bg.finish();
  r.finish();
  return { skin, hair, eyes, lips, outfit, shirt, accessory, background };
}

function readBranding(r: ObjectReader, options: ParsePersonaOptions): PersonaBranding {
  const presenterName = r.string('presenterName', { maxLength: 40 });
  const showTitle = r.string('showTitle', { maxLength: 60 });
  const lt = r.object('lowerThird');
  const lowerThird = {
    style: lt.oneOf('style', LOWER_THIRD_STYLES),
    background: lt.colour('background'),
    foreground: lt.colour('foreground'),
    accent: lt.colour('accent'),
  };
  lt.finish();
  const logo = r.optionalString('logo', {
    pattern: LOGO_FILE,
    maxLength: 68,
    describe: 'a bare .png file name (no path separators or leading dot)',
  });
  if (logo !== undefined && options.logosDir !== undefined) {
    const file = join(options.logosDir, logo);
    if (!existsSync(file)) r.fail('logo', `file not found in ${options.logosDir}`);
    if (!hasPngMagic(file)) r.fail('logo', 'not a PNG file');
  }
  r.finish();
  return logo === undefined
    ? { presenterName, showTitle, lowerThird }
    : { presenterName, showTitle, lowerThird, logo };
}

function hasPngMagic(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(PNG_MAGIC.length);
    return readSync(fd, head, 0, head.length, 0) === head.length && head.equals(PNG_MAGIC);
  } finally {
    closeSync(fd);
  }
}
