import type { Worker } from 'node:worker_threads';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { startSiblingWorker } from '../../../lib/moduleUrl.js';
import type { ViewerState } from '../Sfu.js';
import { SfuError } from '../errors.js';
import type { IceOptions } from './iceOptions.js';
import type { MediaKind } from './Ingest.js';
import type { ShardOutbound, ShardRequest, ShardWorkerStats } from './shardProtocol.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type EgressShardEvents = {
  pli: [showId: string];
  viewerstate: [sessionId: string, state: ViewerState];
  died: [error: Error];
};

const REQUEST_TIMEOUT_MS = 20_000;

/** Main-thread handle of one egress worker thread. */
export class EgressShard extends EnhancedEventEmitter<EgressShardEvents> {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly viewersByShow = new Map<string, number>();
  private nextId = 1;
  private closed = false;

  constructor(
    readonly index: number,
    ice: IceOptions,
  ) {
    super();
    this.worker = startSiblingWorker(import.meta.url, 'egressShardWorker', {
      workerData: { ice },
      name: `egress-${index}`,
    });
    this.worker.on('message', (message: ShardOutbound) => this.onMessage(message));
    this.worker.on('error', (error: Error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`egress shard ${index} exited with ${code}`)));
  }

  get viewers(): number {
    let total = 0;
    for (const count of this.viewersByShow.values()) total += count;
    return total;
  }

  hasViewers(showId: string): boolean {
    return (this.viewersByShow.get(showId) ?? 0) > 0;
  }

  countViewer(showId: string, delta: 1 | -1): void {
    const next = (this.viewersByShow.get(showId) ?? 0) + delta;
    if (next > 0) this.viewersByShow.set(showId, next);
    else this.viewersByShow.delete(showId);
  }

  relay(showId: string, kind: MediaKind, packet: Buffer): void {
    // A copy of exactly the packet: posting a pooled Buffer would clone its whole backing store.
    this.worker.postMessage({ type: 'rtp', showId, kind, packet: new Uint8Array(packet) });
  }

  request<T>(message: DistributiveOmit<ShardRequest, 'id'>): Promise<T> {
    if (this.closed) return Promise.reject(new SfuError('SFU_CLOSED', 'egress shard is closed'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SfuError('SFU_TIMEOUT', `egress shard ${this.index} did not answer ${message.type}`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v as T)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.worker.postMessage({ ...message, id });
    });
  }

  stats(): Promise<ShardWorkerStats> {
    return this.request<ShardWorkerStats>({ type: 'stats' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.rejectPending(new SfuError('SFU_CLOSED', 'egress shard closed'));
    await this.worker.terminate();
  }

  private onMessage(message: ShardOutbound): void {
    if (message.type === 'reply') {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiter) return;
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new SfuError(message.error.code, message.error.message));
    } else if (message.type === 'pli') {
      this.safeEmit('pli', message.showId);
    } else {
      this.safeEmit('viewerstate', message.sessionId, message.state);
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.rejectPending(error);
    this.safeEmit('died', error);
  }

  private rejectPending(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
