import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ASSETS_DIR } from '../../lib/paths.js';
import { PersonaNotFoundError, PersonaValidationError } from './errors.js';
import type { Persona } from '../../lib/media/Persona.js';
import { parsePersona } from './parsePersona.js';

export const DEFAULT_PERSONAS_DIR = join(ASSETS_DIR, 'personas');

/** The validated personas of one folder, by id. */
export class PersonaCatalog {
  private readonly byId: ReadonlyMap<string, Persona>;

  constructor(
    readonly dir: string,
    personas: readonly Persona[],
  ) {
    this.byId = new Map(personas.map((p) => [p.id, p]));
  }

  get logosDir(): string {
    return join(this.dir, 'logos');
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  list(): Persona[] {
    return [...this.byId.values()];
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Throws `PersonaNotFoundError` (`PERSONA_UNKNOWN`) for an unknown id. */
  get(id: string): Persona {
    const persona = this.byId.get(id);
    if (!persona) throw new PersonaNotFoundError(id);
    return persona;
  }

  /** Absolute path of the persona's logo, if it has one. */
  logoPath(persona: Persona): string | undefined {
    return persona.branding.logo === undefined
      ? undefined
      : join(this.logosDir, persona.branding.logo);
  }
}

/**
 * Loads and validates every `*.json` in `dir` (synchronously: it runs once at startup).
 * Each file must be named after its persona's id, which also keeps ids unique.
 */
export function loadPersonas(dir: string = DEFAULT_PERSONAS_DIR): PersonaCatalog {
  const logosDir = join(dir, 'logos');
  const personas: Persona[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const source = join(dir, file);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(source, 'utf8'));
    } catch (err) {
      throw new PersonaValidationError(source, '', `invalid JSON: ${(err as Error).message}`);
    }
    const persona = parsePersona(json, source, { logosDir });
    if (basename(file, '.json') !== persona.id) {
      throw new PersonaValidationError(source, 'id', `must match the file name "${file}"`);
    }
    personas.push(persona);
  }
  return new PersonaCatalog(dir, personas);
}

let defaultCatalog: PersonaCatalog | undefined;

/** The shipped personas, loaded on first use. */
export function defaultPersonas(): PersonaCatalog {
  defaultCatalog ??= loadPersonas();
  return defaultCatalog;
}

/** A shipped persona by id; throws `PersonaNotFoundError` (`PERSONA_UNKNOWN`). */
export function getPersona(id: string): Persona {
  return defaultPersonas().get(id);
}
