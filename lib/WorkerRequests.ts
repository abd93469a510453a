import { CodedError } from './errors/CodedError.js';
import type { Transferable, Worker } from 'node:worker_threads';

/** A reply from a worker thread to a numbered request. */
export type WorkerReply =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: { name: string; code: string; message: string } };

/** A request as its sender writes it: the id is added here. */
export type RequestBody<R> = R extends unknown ? Omit<R, 'id'> : never;

/**
 * Numbered requests to a worker thread, each answered by a `reply` message or failed by a
 * timeout, so a stuck worker turns into an error instead of a caller that waits forever.
 */
export class WorkerRequests<Request extends { type: string; id: number }> {
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  constructor(
    private readonly worker: Worker,
    private readonly name: string,
    private readonly makeError: (code: string, message: string) => Error,
    private readonly timeoutMs = 20_000,
  ) {}

  /** `transfer`: objects moved to the worker with the message (a MessagePort, say). */
  request<T>(message: RequestBody<Request>, transfer: Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(this.makeError('SFU_TIMEOUT', `${this.name} did not answer ${message.type}`));
      }, this.timeoutMs);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Settles the request a reply answers. */
  settle(reply: WorkerReply): void {
    const waiter = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (!waiter) return;
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(this.makeError(reply.error.code, reply.error.message));
  }

  rejectAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

/**
 * Worker side: runs a request handler and posts its result or error as a `reply`. Only a
 * `CodedError` keeps its code across the thread: any other error (a bug, a Node system error
 * with a code of its own) is `WORKER_FAILED`, so callers see only catalogued codes.
 */
export function answerRequest(post: (reply: WorkerReply) => void, id: number, work: () => unknown): void {
  void Promise.resolve()
    .then(work)
    .then(
      (result) => post({ type: 'reply', id, ok: true, result }),
      (error: Error) =>
        post({ type: 'reply', id, ok: false, error: { name: error.name, code: error instanceof CodedError ? error.code : 'WORKER_FAILED', message: error.message } }),
    );
}
