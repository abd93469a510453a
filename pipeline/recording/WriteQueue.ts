import { CodedError } from '../../lib/errors/CodedError.js';

/**
 * Disk writes in order, off the media path: the encoder's fan-out only queues them. Bytes
 * waiting are bounded, so a disk that stalls fails the recording instead of filling memory;
 * the first failure stops everything after it (a recording with a hole is worse than one
 * that ends early).
 */
export class WriteQueue {
  private tail: Promise<void> = Promise.resolve();
  private pendingBytes = 0;
  private error_: Error | undefined;

  constructor(
    private readonly maxPendingBytes: number,
    private readonly onError: (error: Error) => void,
  ) {}

  get error(): Error | undefined {
    return this.error_;
  }

  push(bytes: number, write: () => Promise<void>): void {
    if (this.error_) return;
    if (this.pendingBytes + bytes > this.maxPendingBytes) {
      this.fail(new CodedError('RECORDING_BACKLOG', `the disk fell ${Math.round(this.pendingBytes / 1024)} KiB behind the recording`));
      return;
    }
    this.pendingBytes += bytes;
    this.tail = this.tail.then(async () => {
      if (this.error_) return;
      try {
        await write();
      } catch (error) {
        this.fail(new CodedError('RECORDING_WRITE_FAILED', `recording write failed: ${(error as Error).message}`));
      } finally {
        this.pendingBytes -= bytes;
      }
    });
  }

  /** Settles once everything queued so far has run (or been skipped after a failure). */
  drained(): Promise<void> {
    return this.tail;
  }

  /** Gives up on a disk that hangs: what is still queued is dropped. */
  abandon(reason: string): void {
    this.fail(new CodedError('RECORDING_BACKLOG', reason));
  }

  private fail(error: Error): void {
    if (this.error_) return;
    this.error_ = error;
    this.onError(error);
  }
}
