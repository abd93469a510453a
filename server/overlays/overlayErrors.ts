/** Overlay template errors; `code` is stable and reaches API clients. */
export class OverlayError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A template (or the catalog file) breaks the overlay grammar; `field` names where. */
export class InvalidOverlayTemplateError extends OverlayError {
  constructor(
    code: string,
    readonly field: string,
    message: string,
  ) {
    super(code, `${field}: ${message}`);
  }
}

/** The catalog file could not be read. */
export class OverlayCatalogError extends OverlayError {}
