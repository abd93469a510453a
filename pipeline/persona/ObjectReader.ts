import { PersonaValidationError } from './errors.js';

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * Reads the fields of one JSON object, naming each field's full path in errors.
 * Call `finish()` after reading every known field: whatever is left is an unknown field.
 */
export class ObjectReader {
  private readonly seen = new Set<string>();
  private readonly record: Record<string, unknown>;

  constructor(
    value: unknown,
    private readonly source: string,
    private readonly path: string,
  ) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new PersonaValidationError(source, path, 'expected an object');
    }
    this.record = value as Record<string, unknown>;
  }

  fail(key: string, reason: string): never {
    throw new PersonaValidationError(this.source, this.fieldPath(key), reason);
  }

  has(key: string): boolean {
    return this.record[key] !== undefined;
  }

  object(key: string): ObjectReader {
    return new ObjectReader(this.take(key), this.source, this.fieldPath(key));
  }

  string(
    key: string,
    opts: { pattern?: RegExp; maxLength?: number; describe?: string } = {},
  ): string {
    const value = this.take(key);
    if (typeof value !== 'string') this.fail(key, 'expected a string');
    const maxLength = opts.maxLength ?? 80;
    if (value.trim().length === 0) this.fail(key, 'must not be empty');
    if (value.length > maxLength) this.fail(key, `longer than ${maxLength} characters`);
    if (opts.pattern && !opts.pattern.test(value)) {
      this.fail(key, `expected ${opts.describe ?? `to match ${opts.pattern}`}`);
    }
    return value;
  }

  optionalString(
    key: string,
    opts: Parameters<ObjectReader['string']>[1] = {},
  ): string | undefined {
    return this.has(key) ? this.string(key, opts) : this.skip(key);
  }

  integer(key: string, min: number, max: number): number {
    const value = this.take(key);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(key, `expected an integer in ${min}..${max}`);
    }
    return value;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const value = this.take(key);
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(key, `expected one of ${allowed.join(' | ')}`);
    }
    return value as T;
  }

  colour(key: string): string {
    const value = this.take(key);
    if (typeof value !== 'string' || !COLOUR.test(value)) this.fail(key, 'expected #rrggbb colour');
    return value.toLowerCase();
  }

  finish(): void {
    for (const key of Object.keys(this.record)) {
      if (!this.seen.has(key)) this.fail(key, 'unknown field');
    }
  }

  private take(key: string): unknown {
    this.seen.add(key);
    const value = this.record[key];
    if (value === undefined) this.fail(key, 'missing required field');
    return value;
  }

  private skip(key: string): undefined {
    this.seen.add(key);
    return undefined;
  }

  private fieldPath(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }
}
