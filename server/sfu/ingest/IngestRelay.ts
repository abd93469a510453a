import type { MessagePort, Transferable, Worker } from 'node:worker_threads';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { startSiblingWorker } from '../../../lib/moduleUrl.js';
import { WorkerRequests, type RequestBody } from '../../../lib/WorkerRequests.js';
import type { IngestStats, SfuEvents } from '../Sfu.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { RtpSourcePorts } from '../../../lib/media/IngestEndpoint.js';
import { SfuError } from '../errors.js';
import type { RelayOpened, RelayOutbound, RelayRequest } from './relayProtocol.js';

export type IngestRelayEvents = Pick<SfuEvents, 'mediasource' | 'audioingest'> & {
  /** An egress shard fell behind and dropped the show's video until its next keyframe. */
  keyframeneeded: [showId: string];
  died: [error: Error];
};

/** Main-thread handle of the ingest relay thread (see ingestRelayWorker.ts), for either SFU backend. */
export class IngestRelay extends EnhancedEventEmitter<IngestRelayEvents> {
  private readonly worker: Worker;
  private readonly requests: WorkerRequests<RelayRequest>;
  private lastStats = new Map<string, IngestStats>();
  private closed = false;

  constructor() {
    super();
    this.worker = startSiblingWorker(import.meta.url, 'ingestRelayWorker', { name: 'ingest-relay' });
    this.requests = new WorkerRequests(this.worker, 'ingest relay', (code, message) => new SfuError(code, message));
    this.worker.on('message', (message: RelayOutbound) => this.onMessage(message));
    this.worker.on('error', (error: Error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`ingest relay exited with ${code}`)));
  }

  /** Passes the relay's media events on to the SFU that owns it, and its death as a `failure`. */
  forwardTo(sfu: EnhancedEventEmitter<SfuEvents>): void {
    this.on('mediasource', (showId, kind, rtpTimestamp) => sfu.safeEmit('mediasource', showId, kind, rtpTimestamp));
    this.on('audioingest', (showId, bytes) => sfu.safeEmit('audioingest', showId, bytes));
    this.on('died', (error) => sfu.safeEmit('failure', `ingest relay died: ${error.message}`));
  }

  /** Opens a show's ingest; a simulcast one also takes the encoder's low video layer and sends it to the target (mediasoup). */
  open(showId: string, codec: VideoCodecName, simulcast = false): Promise<RelayOpened> {
    return this.request({ type: 'open', showId, codec, simulcast });
  }

  /** The loopback ports the show's next encoder process sends from; the only source accepted from now on. */
  expectSource(showId: string, source: RtpSourcePorts): Promise<boolean> {
    return this.request({ type: 'source', showId, source });
  }

  /** Points a show's relay at its PlainTransport (again, after the transport moved to a new worker). */
  target(showId: string, port: number): Promise<boolean> {
    return this.request({ type: 'target', showId, port });
  }

  /** Connects an egress shard thread (werift): the relay posts its shows' packets to `port`. */
  attachShard(index: number, port: MessagePort): Promise<boolean> {
    return this.request({ type: 'shard', index, port }, [port]);
  }

  /** The egress shards that get a show's packets: those with viewers of it. */
  sendTo(showId: string, shardIndices: number[]): Promise<boolean> {
    return this.request({ type: 'shards', showId, indices: shardIndices });
  }

  async close(showId: string): Promise<void> {
    this.lastStats.delete(showId);
    if (!this.closed) await this.request({ type: 'close', showId }).catch(() => undefined);
  }

  /** Counters as of the relay's last report (once a second). */
  stats(showId: string): IngestStats {
    return this.lastStats.get(showId) ?? { showId, videoPackets: 0, audioPackets: 0, bytes: 0, sourceSwitches: 0, keyframes: 0, foreignPackets: 0, droppedVideoPackets: 0, droppedAudioPackets: 0 };
  }

  async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.requests.rejectAll(new SfuError('SFU_CLOSED', 'ingest relay closed'));
    await this.worker.terminate();
  }

  private request<T>(message: RequestBody<RelayRequest>, transfer: Transferable[] = []): Promise<T> {
    if (this.closed) return Promise.reject(new SfuError('SFU_CLOSED', 'ingest relay is closed'));
    return this.requests.request<T>(message, transfer);
  }

  private onMessage(message: RelayOutbound): void {
    switch (message.type) {
      case 'reply':
        return this.requests.settle(message);
      case 'mediasource':
        this.safeEmit('mediasource', message.showId, message.kind, message.rtpTimestamp);
        return;
      case 'audio':
        this.safeEmit('audioingest', message.showId, message.bytes);
        return;
      case 'keyframe':
        this.safeEmit('keyframeneeded', message.showId);
        return;
      case 'stats':
        this.lastStats = new Map(message.ingests.map((s) => [s.showId, s]));
    }
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.requests.rejectAll(error);
    this.safeEmit('died', error);
  }
}
