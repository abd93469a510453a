import { CodedError } from '../../lib/errors/CodedError.js';

/** SFU errors; `code` is stable and reaches API clients. */
export class SfuError extends CodedError {}

export class InvalidSdpError extends SfuError {
  constructor(message: string) {
    super('INVALID_SDP', message);
  }
}

export class UnknownIngestError extends SfuError {
  constructor(showId: string) {
    super('SHOW_NOT_STREAMING', `show ${showId} has no ingest`);
  }
}

export class InvalidStateError extends SfuError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}
