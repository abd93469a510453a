import { ObjectReader } from '../persona/ObjectReader.js';
import { PersonaValidationError } from '../persona/errors.js';
import { ScriptConfigError } from './errors.js';

/**
 * Runs `read` over a JSON document with the persona `ObjectReader`, turning its errors into
 * `ScriptConfigError` so that a bad templates or policy file names the script place.
 */
export function readScriptConfig<T>(
  json: unknown,
  source: string,
  read: (root: ObjectReader) => T,
): T {
  try {
    return read(new ObjectReader(json, source, ''));
  } catch (err) {
    if (err instanceof PersonaValidationError)
      throw new ScriptConfigError(err.source, err.path, err.reason);
    throw err;
  }
}

/** Keys of a JSON object that `ObjectReader` already accepted as an object. */
export function keysOf(json: unknown): string[] {
  return typeof json === 'object' && json !== null ? Object.keys(json) : [];
}

export function childOf(json: unknown, key: string): unknown {
  return typeof json === 'object' && json !== null
    ? (json as Record<string, unknown>)[key]
    : undefined;
}

export function readJsonFile(source: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ScriptConfigError(source, '', `invalid JSON: ${(err as Error).message}`);
  }
}
