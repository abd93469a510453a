import { MessageChannel, type MessagePort, type Worker } from 'node:worker_threads';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { startSiblingWorker } from '../../../lib/moduleUrl.js';
import { WorkerRequests, type RequestBody } from '../../../lib/WorkerRequests.js';
import type { ViewerState } from '../Sfu.js';
import { SfuError } from '../errors.js';
import type { IceOptions } from './iceOptions.js';
import type { ShardOutbound, ShardRequest, ShardWorkerStats } from './shardProtocol.js';

export type EgressShardEvents = {
  pli: [showId: string];
  viewerstate: [sessionId: string, state: ViewerState];
  died: [error: Error];
};

/** Main-thread handle of one egress worker thread. */
export class EgressShard extends EnhancedEventEmitter<EgressShardEvents> {
  private readonly worker: Worker;
  private readonly requests: WorkerRequests<ShardRequest>;
  private readonly viewersByShow = new Map<string, number>();
  private closed = false;

  /** The ingest relay's end of the channel to this shard: RTP reaches the shard without the main thread. */
  readonly ingestPort: MessagePort;

  constructor(
    readonly index: number,
    ice: IceOptions,
  ) {
    super();
    const channel = new MessageChannel();
    this.ingestPort = channel.port1;
    this.worker = startSiblingWorker(import.meta.url, 'egressShardWorker', {
      workerData: { ice, ingestPort: channel.port2 },
      transferList: [channel.port2],
      name: `egress-${index}`,
    });
    this.requests = new WorkerRequests(this.worker, `egress shard ${index}`, (code, message) => new SfuError(code, message));
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

  request<T>(message: RequestBody<ShardRequest>): Promise<T> {
    if (this.closed) return Promise.reject(new SfuError('SFU_CLOSED', 'egress shard is closed'));
    return this.requests.request<T>(message);
  }

  stats(): Promise<ShardWorkerStats> {
    return this.request<ShardWorkerStats>({ type: 'stats' });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.requests.rejectAll(new SfuError('SFU_CLOSED', 'egress shard closed'));
    await this.worker.terminate();
  }

  private onMessage(message: ShardOutbound): void {
    if (message.type === 'reply') {
      this.requests.settle(message);
    } else if (message.type === 'pli') {
      this.safeEmit('pli', message.showId);
    } else {
      this.safeEmit('viewerstate', message.sessionId, message.state);
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.requests.rejectAll(error);
    this.safeEmit('died', error);
  }

}
