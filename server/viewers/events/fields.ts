import { InvalidEventError } from '../errors.js';

// C0/C1 controls, line/paragraph separators, bidi overrides and U+FFFD: event strings are one plain line.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffd]/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A plain object whose own keys are all in `allowed`: arrays, class instances, unknown
 * fields and prototype-polluting keys are refused.
 */
export function plainObject(value: unknown, field: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidEventError(field, 'must be an object');
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new InvalidEventError(field, 'must be a plain object');
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key !== 'string') throw new InvalidEventError(field, 'must not have symbol keys');
    if (FORBIDDEN_KEYS.has(key)) throw new InvalidEventError(`${field}.${key}`, 'is not allowed');
    if (!allowed.includes(key)) throw new InvalidEventError(`${field}.${printable(key)}`, `is not a known field (known: ${allowed.join(', ') || 'none'})`);
  }
  return value as Record<string, unknown>;
}

export interface StringRule {
  max: number;
  min?: number;
  pattern?: RegExp;
  /** Said in the error when `pattern` does not match. */
  expected?: string;
}

export function boundedString(value: unknown, field: string, rule: StringRule): string {
  if (typeof value !== 'string') throw new InvalidEventError(field, 'must be a string');
  const min = rule.min ?? 0;
  if (value.length < min || value.length > rule.max) throw new InvalidEventError(field, `must be ${min}..${rule.max} characters long`);
  if (CONTROL.test(value)) throw new InvalidEventError(field, 'must not contain control characters');
  if (rule.pattern && !rule.pattern.test(value)) throw new InvalidEventError(field, `must be ${rule.expected ?? `like ${rule.pattern.source}`}`);
  return value;
}

export interface NumberRule {
  min: number;
  max: number;
  integer?: boolean;
}

export function boundedNumber(value: unknown, field: string, rule: NumberRule): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidEventError(field, 'must be a finite number');
  if (rule.integer && !Number.isInteger(value)) throw new InvalidEventError(field, 'must be an integer');
  if (value < rule.min || value > rule.max) throw new InvalidEventError(field, `must be in ${rule.min}..${rule.max}`);
  return value;
}

export function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidEventError(field, 'must be true or false');
  return value;
}

/** `read(value)` when the field is present; a field set to `undefined` counts as absent. */
export function optional<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}

function printable(key: string): string {
  return key.slice(0, 40).replace(/[^\x20-\x7e]/g, '?');
}

/** The object without its `undefined` fields, so that an absent field stays absent. */
export function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
