interface Waiter {
  ready: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Requests held until something exists (a blocking playlist reload, a preload-hinted part):
 * each waits at most its timeout, and `check()` after every change releases the ready ones.
 */
export class Waiters {
  private waiting: Waiter[] = [];

  /** Resolves once `ready()` holds; rejects with `timeoutError()` after `timeoutMs`. */
  wait(ready: () => boolean, timeoutMs: number, timeoutError: () => Error): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        ready,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(timeoutError());
        }, timeoutMs),
      };
      this.waiting.push(waiter);
    });
  }

  check(): void {
    const ready = new Set(this.waiting.filter((waiter) => waiter.ready()));
    if (ready.size === 0) return;
    this.waiting = this.waiting.filter((waiter) => !ready.has(waiter));
    for (const waiter of ready) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
  }

  /** Fails every waiting request (the output closed). */
  rejectAll(error: Error): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const waiter of waiting) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  private remove(waiter: Waiter): void {
    this.waiting = this.waiting.filter((w) => w !== waiter);
  }
}
