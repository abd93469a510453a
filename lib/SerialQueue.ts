/**
 * Runs async work one piece at a time, in call order; a piece that fails does not stop the
 * ones queued after it. `busy` while any piece is queued or running.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(work, work).finally(() => (this.pending -= 1));
    this.tail = result.catch(() => undefined);
    return result;
  }
}
