import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { IngestOptions, PipeEndpoint, Sfu, SfuEvents, SfuStats, ShowExport, ViewerAnswer, ViewerState } from '../Sfu.js';
import type { IngestEndpoint, RtpSourcePorts } from '../../../lib/media/IngestEndpoint.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import { CannotPipeError, InvalidStateError, SfuError, UnknownIngestError } from '../errors.js';
import { KeyframeRequests } from '../KeyframeRequests.js';
import { EgressShard } from './EgressShard.js';
import { iceOptionsFor, type IceOptions } from './iceOptions.js';
import { IngestRelay } from '../ingest/IngestRelay.js';
import { parseViewerOffer } from '../viewerOffer.js';

export interface WeriftSfuOptions {
  /** Egress worker threads; viewers are spread over them. Default: one per core. */
  shards?: number;
  /** Addresses announced as ICE host candidates. Default: loopback only. */
  announcedAddresses?: string[];
}

interface Session {
  showId: string;
  shard: EgressShard;
}

/**
 * The werift SFU: viewer egress sharded over worker threads, fed straight from the ingest
 * relay thread; the main thread only signals.
 */
export class WeriftSfu extends EnhancedEventEmitter<SfuEvents> implements Sfu {
  readonly backend = 'werift';
  /**
   * werift has no pipe transport: a show enters only through the ingest relay, as raw RTP
   * fanned out by egress threads with no router to hand it on. A cluster node running werift
   * sends viewers of a show that lives elsewhere to the show's node instead.
   */
  readonly canPipe = false;
  /** werift answers with the offer's own ids. */
  readonly extensionIds = undefined;
  /** The video codec of each show with an ingest. */
  private readonly codecs = new Map<string, VideoCodecName>();
  private readonly relay = new IngestRelay();
  private readonly sessions = new Map<string, Session>();
  private readonly keyframeRequests = new KeyframeRequests((showId) => this.safeEmit('keyframerequest', showId));
  private readonly shards: EgressShard[] = [];
  private _closed = false;

  private constructor(
    shardCount: number,
    private readonly ice: IceOptions,
  ) {
    super();
    for (let i = 0; i < shardCount; i++) this.shards.push(this.spawnShard(i));
    this.relay.forwardTo(this);
    this.relay.on('keyframeneeded', (showId) => this.onPictureLoss(showId));
  }

  static async create(options: WeriftSfuOptions = {}): Promise<WeriftSfu> {
    const shards = Math.max(1, options.shards ?? os.availableParallelism());
    const sfu = new WeriftSfu(shards, iceOptionsFor(options.announcedAddresses ?? ['127.0.0.1']));
    await Promise.all(sfu.shards.map((shard) => shard.stats()));
    return sfu;
  }

  get closed(): boolean {
    return this._closed;
  }

  async createIngest({ showId, videoCodec }: IngestOptions): Promise<IngestEndpoint> {
    this.assertOpen();
    if (this.codecs.has(showId)) throw new InvalidStateError(`show ${showId} already has an ingest`);
    this.codecs.set(showId, videoCodec);
    try {
      return (await this.relay.open(showId, videoCodec)).endpoint;
    } catch (error) {
      this.codecs.delete(showId);
      throw error;
    }
  }

  async expectIngestSource(showId: string, source: RtpSourcePorts): Promise<void> {
    this.assertOpen();
    await this.relay.expectSource(showId, source);
  }

  async closeIngest(showId: string): Promise<void> {
    if (!this.codecs.delete(showId)) return;
    this.keyframeRequests.forget(showId);
    await this.relay.close(showId);
    await Promise.all(this.shards.map((shard) => shard.request({ type: 'closeShow', showId }).catch(() => 0)));
  }

  hasShow(showId: string): boolean {
    return this.codecs.has(showId);
  }

  /** See `canPipe`. */
  async exportShow(_showId: string, _edge: PipeEndpoint): Promise<ShowExport> {
    throw new CannotPipeError(this.backend);
  }

  /** Nothing is ever exported (see `canPipe`). */
  async closeExport(_pipeId: string): Promise<void> {}

  /** See `canPipe`. */
  async importShow(_showId: string, _connect: (local: PipeEndpoint) => Promise<ShowExport>): Promise<void> {
    throw new CannotPipeError(this.backend);
  }

  async addViewer(showId: string, offerSdp: string): Promise<ViewerAnswer> {
    this.assertOpen();
    const videoCodec = this.codecs.get(showId);
    if (!videoCodec) throw new UnknownIngestError(showId);
    // Checked here, on the main thread, so bad input fails the same way on both backends.
    parseViewerOffer(offerSdp, videoCodec);
    const sessionId = randomBytes(16).toString('hex');
    const shard = this.leastLoadedShard();
    this.sessions.set(sessionId, { showId, shard });
    shard.countViewer(showId, 1);
    this.route(showId);
    const answerSdp = await shard.request<string>({ type: 'addViewer', showId, sessionId, offerSdp, videoCodec });
    return { sessionId, answerSdp };
  }

  async removeViewer(sessionId: string): Promise<boolean> {
    const session = this.sessions.get(sessionId);
    if (!session) return false;
    await session.shard.request({ type: 'removeViewer', sessionId });
    this.forgetSession(sessionId);
    return true;
  }

  viewerCount(showId: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.showId === showId) count++;
    return count;
  }

  showIdOf(sessionId: string): string | undefined {
    return this.sessions.get(sessionId)?.showId;
  }

  stats(): SfuStats {
    return {
      ingests: [...this.codecs.keys()].map((showId) => this.relay.stats(showId)),
      shards: this.shards.map((shard) => ({ index: shard.index, viewers: shard.viewers, packetsOut: 0 })),
      viewers: this.sessions.size,
      pliReceived: this.keyframeRequests.received,
      pipes: { imports: 0, exports: 0 },
      // werift sends one layer: its egress shards have no bandwidth estimate to pick one by.
      simulcast: { lowLayerViewers: 0, switchesDown: 0, switchesUp: 0 },
    };
  }

  /** Stats including packets sent by each shard, which needs a round trip to the workers. */
  async detailedStats(): Promise<SfuStats> {
    const stats = this.stats();
    const perShard = await Promise.all(this.shards.map((shard) => shard.stats().catch(() => undefined)));
    stats.shards.forEach((s, i) => (s.packetsOut = perShard[i]?.packetsOut ?? 0));
    return stats;
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    this.keyframeRequests.close();
    this.codecs.clear();
    this.sessions.clear();
    await Promise.all([this.relay.terminate(), ...this.shards.map((shard) => shard.close())]);
    this.removeAllListeners();
  }

  private spawnShard(index: number): EgressShard {
    const shard = new EgressShard(index, this.ice);
    shard.on('pli', (showId) => this.onPictureLoss(showId));
    shard.on('viewerstate', (sessionId, state) => this.onViewerState(sessionId, state));
    shard.on('died', (error) => {
      if (this._closed) return;
      this.safeEmit('failure', `egress shard ${index} died: ${error.message}; replacing it`);
      for (const [sessionId, session] of this.sessions) if (session.shard === shard) this.onViewerState(sessionId, 'closed');
      this.shards[index] = this.spawnShard(index);
    });
    this.relay.attachShard(index, shard.ingestPort).catch((error: Error) => this.safeEmit('failure', `egress shard ${index} is not connected to the ingest: ${error.message}`));
    return shard;
  }

  /** Tells the ingest relay which shards get a show's packets: the ones with viewers of it. */
  private route(showId: string): void {
    if (!this.codecs.has(showId)) return;
    const indices = this.shards.filter((shard) => shard.hasViewers(showId)).map((shard) => shard.index);
    this.relay.sendTo(showId, indices).catch(() => undefined);
  }

  private onViewerState(sessionId: string, state: ViewerState): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    // A viewer just connected decodes nothing before a keyframe: ask now rather than wait for its PLI (as mediasoup's consumers do).
    if (state === 'connected') this.onPictureLoss(session.showId);
    if (state === 'closed') this.forgetSession(sessionId);
    this.safeEmit('viewerstatechange', sessionId, state);
  }

  private forgetSession(sessionId: string): void {
    const session = this.sessions.get(sessionId);
    if (!session) return;
    this.sessions.delete(sessionId);
    session.shard.countViewer(session.showId, -1);
    this.route(session.showId);
  }

  private onPictureLoss(showId: string): void {
    this.keyframeRequests.request(showId);
  }

  private leastLoadedShard(): EgressShard {
    return this.shards.reduce((best, shard) => (shard.viewers < best.viewers ? shard : best));
  }

  private assertOpen(): void {
    if (this._closed) throw new SfuError('SFU_CLOSED', 'the SFU is closed');
  }
}
