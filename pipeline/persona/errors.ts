import { CodedError } from '../../lib/errors/CodedError.js';

export class PersonaValidationError extends CodedError {
  /** `path` is the dotted field path, e.g. `look.skin`; empty for the document itself. */
  constructor(
    readonly source: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super('PERSONA_INVALID', `${source}: ${path || '(root)'}: ${reason}`);
  }
}

export class PersonaNotFoundError extends CodedError {
  constructor(readonly personaId: string) {
    super('PERSONA_UNKNOWN', `unknown persona "${personaId}"`);
  }
}
