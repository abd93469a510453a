import { InvalidOverlayTemplateError } from './overlayErrors.js';

/** Field-level checks for overlay templates; each throws InvalidOverlayTemplateError. */

export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
export const COLOUR_PATTERN = /^#[0-9a-fA-F]{6}$/;
export const IMAGE_PATTERN = /^[a-z0-9-]+\.(png|jpg|webp)$/;
export const REGION_PATTERN = /^[A-Z]{2}$/;
export const LANGUAGE_PATTERN = /^[a-z]{2,3}$/;
export const TOPIC_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** C0/C1 controls and the bidirectional overrides that can disguise text. */
const CONTROL_CHARACTERS = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const MAX_LINK_LENGTH = 2048;
const MAX_LIST_LENGTH = 64;

const fail = (code: string, field: string, message: string): never => {
  throw new InvalidOverlayTemplateError(code, field, message);
};

export type FieldObject = Record<string, unknown>;

export function expectObject(
  value: unknown,
  field: string,
  allowed: readonly string[],
): FieldObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('OVERLAY_NOT_OBJECT', field, 'must be an object');
  }
  const object = value as FieldObject;
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) fail('OVERLAY_UNKNOWN_FIELD', `${field}.${key}`, 'unknown field');
  }
  return object;
}

export function required(object: FieldObject, key: string, field: string): unknown {
  if (object[key] === undefined) fail('OVERLAY_MISSING_FIELD', `${field}.${key}`, 'is required');
  return object[key];
}

export function expectPattern(value: unknown, field: string, pattern: RegExp, code: string) {
  if (typeof value !== 'string' || !pattern.test(value)) {
    fail(code, field, `must match ${pattern.source}`);
  }
  return value as string;
}

/** Plain text: shown as text (the page escapes it), so markup is fine but controls are not. */
export function expectText(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '') {
    fail('OVERLAY_BAD_TEXT', field, 'must be a non-empty string');
  }
  const text = value as string;
  if ([...text].length > maxLength) {
    fail('OVERLAY_TEXT_TOO_LONG', field, `must be at most ${maxLength} characters`);
  }
  if (CONTROL_CHARACTERS.test(text)) {
    fail('OVERLAY_CONTROL_CHARACTERS', field, 'must not contain control characters');
  }
  return text;
}

/** https only, parsed rather than pattern-matched, no credentials. Returns the normalised URL. */
export function expectHttpsLink(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > MAX_LINK_LENGTH) {
    fail('OVERLAY_BAD_LINK', field, `must be a URL of at most ${MAX_LINK_LENGTH} characters`);
  }
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    fail('OVERLAY_BAD_LINK', field, 'is not a URL');
  }
  if (url!.protocol !== 'https:') fail('OVERLAY_BAD_LINK', field, 'must be an https: URL');
  if (url!.username || url!.password) {
    fail('OVERLAY_BAD_LINK', field, 'must not carry credentials');
  }
  return url!.href;
}

export function expectBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') fail('OVERLAY_BAD_BOOLEAN', field, 'must be true or false');
  return value as boolean;
}

export function expectInteger(value: unknown, field: string, minimum: 0 | 1): number {
  if (!Number.isSafeInteger(value) || (value as number) < minimum) {
    fail(
      'OVERLAY_BAD_NUMBER',
      field,
      minimum ? 'must be a positive integer' : 'must be an integer ≥ 0',
    );
  }
  return value as number;
}

/** A list of unique strings, each matching `pattern`. */
export function expectList(
  value: unknown,
  field: string,
  pattern: RegExp,
  code: string,
  options: { nonEmpty: boolean },
): string[] {
  if (!Array.isArray(value) || value.length > MAX_LIST_LENGTH) {
    fail(code, field, `must be a list of at most ${MAX_LIST_LENGTH} entries`);
  }
  const list = value as unknown[];
  if (options.nonEmpty && list.length === 0) fail(code, field, 'must not be empty');
  list.forEach((item, i) => expectPattern(item, `${field}[${i}]`, pattern, code));
  if (new Set(list).size !== list.length) fail(code, field, 'must not repeat entries');
  return list as string[];
}

export function failTemplate(code: string, field: string, message: string): never {
  return fail(code, field, message);
}
