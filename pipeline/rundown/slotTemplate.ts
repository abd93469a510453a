import { RundownError } from './RundownError.js';

/** `{{feed.path.to.value}}`: a feed name, then own-property names or array indexes. */
const SLOT = /\{\{([^{}]*)\}\}/g;
const NAME = /^[A-Za-z0-9_-]{1,40}$/;
const MAX_DEPTH = 6;
/** A filled value is spoken: it is cut to this many characters. */
export const MAX_SLOT_VALUE_CHARS = 80;

/**
 * Names a template may never walk: the prototype chain and whatever `Object.prototype` holds.
 * The filler only reads own properties anyway; refusing them at validation makes an injection
 * attempt a 400 instead of a line that silently never plays.
 */
const FORBIDDEN = new Set([
  '__proto__',
  'constructor',
  'prototype',
  ...Object.getOwnPropertyNames(Object.prototype),
]);

// C0/C1 controls and format characters (bidirectional overrides): never spoken from a feed.
const UNSPEAKABLE = /[\p{Cc}\p{Cf}]/gu;

/** The slots of a line, in order, as `feed.path` strings; refuses anything that is not a plain slot. */
export function parseSlots(text: string): string[] {
  const slots: string[] = [];
  for (const match of text.matchAll(SLOT)) {
    const path = match[1]!;
    const parts = path.split('.');
    if (parts.length < 2 || parts.length > MAX_DEPTH || !parts.every((part) => NAME.test(part))) {
      throw invalid(
        `slot {{${path.slice(0, 60)}}} must be {{feed.name}}: up to ${MAX_DEPTH} dot-separated names of [A-Za-z0-9_-]`,
      );
    }
    const forbidden = parts.find((part) => FORBIDDEN.has(part));
    if (forbidden)
      throw invalid(
        `slot {{${path.slice(0, 60)}}} names "${forbidden}", which a template may not read`,
      );
    slots.push(path);
  }
  // Braces left after the slots are taken out are a malformed or nested slot.
  if (/\{\{|\}\}/.test(text.replace(SLOT, '')))
    throw invalid('a line has unbalanced or nested {{ }}');
  return slots;
}

/** The feed a slot reads. */
export const feedOf = (slot: string): string => slot.slice(0, slot.indexOf('.'));

/** A line's text without its slots: where an offer word must be. */
export const withoutSlots = (text: string): string => text.replace(SLOT, ' ');

/**
 * Fills a line's slots from plain JSON data (feed name → parsed JSON). Only own properties of
 * plain objects and indexes of arrays are read; a value is a string, a finite number or a
 * boolean, stringified, stripped of control characters and cut to MAX_SLOT_VALUE_CHARS.
 * Undefined when any slot has no such value: the line is skipped rather than said half-filled.
 * One pass, so a value that looks like a slot is spoken as it is, never expanded.
 */
export function fillSlots(
  text: string,
  data: Readonly<Record<string, unknown>>,
): string | undefined {
  let missing = false;
  const filled = text.replace(SLOT, (_all, path: string) => {
    const value = lookup(data, path.split('.'));
    if (value === undefined) missing = true;
    return value ?? '';
  });
  return missing ? undefined : filled;
}

function lookup(data: Readonly<Record<string, unknown>>, parts: string[]): string | undefined {
  let node: unknown = data;
  for (const part of parts) {
    if (FORBIDDEN.has(part)) return undefined;
    if (Array.isArray(node)) {
      if (!/^\d{1,6}$/.test(part) || Number(part) >= node.length) return undefined;
      node = node[Number(part)];
    } else if (isPlainObject(node)) {
      if (!Object.hasOwn(node, part)) return undefined;
      node = node[part];
    } else return undefined;
  }
  if (typeof node === 'number' && !Number.isFinite(node)) return undefined;
  if (typeof node !== 'string' && typeof node !== 'number' && typeof node !== 'boolean')
    return undefined;
  const spoken = String(node).replace(UNSPEAKABLE, ' ').replace(/\s+/g, ' ').trim();
  return spoken === '' ? undefined : [...spoken].slice(0, MAX_SLOT_VALUE_CHARS).join('');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const invalid = (message: string) => new RundownError('RUNDOWN_TEMPLATE_INVALID', message);
