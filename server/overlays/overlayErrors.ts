import { CodedError } from '../../lib/errors/CodedError.js';

/** Overlay template errors; `code` is stable and reaches API clients. */
export class OverlayError extends CodedError {}

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
