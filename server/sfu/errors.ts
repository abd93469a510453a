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

/** A show's pipe between two nodes could not be set up (a bad or unreachable endpoint, a bad export). */
export class PipeFailedError extends SfuError {
  constructor(message: string) {
    super('SFU_PIPE_FAILED', message);
  }
}

/** This backend has no node-to-node pipe (werift): viewers of a show on another node go to that node. */
export class CannotPipeError extends SfuError {
  constructor(backend: string) {
    super('SFU_CANNOT_PIPE', `the ${backend} SFU cannot pipe shows between nodes`);
  }
}
