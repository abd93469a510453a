import { UnrecoverableError } from 'bullmq';

/**
 * A job that can never succeed (bad payload, unknown persona, text the TTS refuses). It is
 * BullMQ's `UnrecoverableError`, so the job fails at once instead of wasting retries; with one
 * base class only it cannot also be a `CodedError`, so the HTTP error handler maps its code
 * through the same catalogue in a branch of its own.
 */
export class InvalidJobError extends UnrecoverableError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    // The name stays BullMQ's: it is how an error from a sandboxed child is recognised as final.
    this.name = 'UnrecoverableError';
  }
}

export class JobCancelledError extends UnrecoverableError {
  readonly code = 'JOB_CANCELLED';
  constructor() {
    super('JOB_CANCELLED: the job was cancelled');
    this.name = 'UnrecoverableError';
  }
}
