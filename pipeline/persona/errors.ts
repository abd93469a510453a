export class PersonaValidationError extends Error {
  readonly code = 'PERSONA_INVALID';

  /** `path` is the dotted field path, e.g. `look.skin`; empty for the document itself. */
  constructor(
    readonly source: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${source}: ${path || '(root)'}: ${reason}`);
    this.name = 'PersonaValidationError';
  }
}

export class PersonaNotFoundError extends Error {
  readonly code = 'PERSONA_UNKNOWN';

  constructor(readonly personaId: string) {
    super(`unknown persona "${personaId}"`);
    this.name = 'PersonaNotFoundError';
  }
}
