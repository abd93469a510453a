import type { Worker } from 'node:worker_threads';
import { startSiblingWorker } from '../../lib/moduleUrl.js';
import type { IntentResult } from './IntentModel.js';

/** What the brain needs of a classifier, wherever it runs. */
export interface IntentClassifier {
  readonly version: string;
  classify(text: string): Promise<IntentResult>;
  close(): Promise<void>;
}

type Reply = { id: number; result?: IntentResult; error?: { name: string; code?: string; message: string } };

/** The intent model in a worker thread (`INTENT_PLACEMENT=worker`); same answers as in-process. */
export class IntentModelThread implements IntentClassifier {
  private readonly pending = new Map<number, { resolve: (r: IntentResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  private constructor(
    private readonly worker: Worker,
    readonly version: string,
  ) {
    worker.on('message', (reply: Reply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.result) waiter.resolve(reply.result);
      else waiter.reject(Object.assign(new Error(reply.error?.message ?? 'no answer'), { name: reply.error?.name, code: reply.error?.code }));
      if (this.pending.size === 0) worker.unref();
    });
    worker.unref();
  }

  static async start(): Promise<IntentModelThread> {
    const worker = startSiblingWorker(import.meta.url, 'intentWorker', { name: 'intent' });
    const version = await new Promise<string>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { type: string; version: string }) => (worker.off('error', reject), resolve(m.version)));
    });
    return new IntentModelThread(worker, version);
  }

  classify(text: string): Promise<IntentResult> {
    const id = this.nextId++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, text });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
