import { CodedError } from '../../lib/errors/CodedError.js';

/** Viewer data errors; `code` is stable and reaches socket acknowledgements. */
export class ViewerDataError extends CodedError {}

/** An untrusted `/viewer` event payload with a bad shape, type or range. */
export class InvalidEventError extends ViewerDataError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('INVALID_EVENT', `${field} ${message}`);
  }
}

/** A malformed viewer, show or template id, or session update, from the server's own code. */
export class InvalidViewerDataError extends ViewerDataError {
  constructor(message: string) {
    super('INVALID_VIEWER_DATA', message);
  }
}

/** Redis did not answer in time (or refused): the caller falls back. */
export class ViewerStoreUnavailableError extends ViewerDataError {
  constructor(cause: unknown) {
    super('VIEWER_STORE_UNAVAILABLE', `viewer store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
