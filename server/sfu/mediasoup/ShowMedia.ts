import type { types } from 'mediasoup';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { IngestRelay } from '../ingest/IngestRelay.js';
import { INGEST_PROFILE, producerParameters, profileKey, routerMediaCodecs, type PayloadProfile } from './rtpParameters.js';
import type { WorkerHost } from './WorkerHost.js';

/** A router viewers consume from, with the ids of the show's producers in it. */
export interface ViewerRouter {
  router: types.Router;
  producerIds: { video: string; audio: string };
}

interface Origin {
  host: WorkerHost;
  router: types.Router;
  transport: types.PlainTransport;
  producers: { video: types.Producer; audio: types.Producer };
}

export type ShowMediaEvents = {
  /** The origin producer asked the encoder for a keyframe (a viewer's PLI/FIR, or a new consumer). */
  keyframerequest: [];
};

/**
 * One show's routers. The origin router, on one worker, holds the PlainTransport that the
 * ingest relay feeds and the show's two producers; `pipeToRouter` carries them to the
 * show's viewer routers: one per worker that has viewers of it and per payload profile
 * (see rtpParameters.ts), however many viewers each serves.
 */
export class ShowMedia extends EnhancedEventEmitter<ShowMediaEvents> {
  private origin: Origin | undefined;
  /** Viewer routers by worker and payload profile, each piped from the origin. */
  private readonly edges = new Map<string, { host: WorkerHost; router: Promise<ViewerRouter> }>();
  private closed = false;

  constructor(
    readonly showId: string,
    readonly codec: VideoCodecName,
    private readonly relay: IngestRelay,
    private readonly ssrcs: { video: number; audio: number },
  ) {
    super();
  }

  get originHost(): WorkerHost | undefined {
    return this.origin?.host;
  }

  /** Creates the origin on a worker and points the relay at it; the old origin, if any, is gone. */
  async placeOrigin(host: WorkerHost): Promise<void> {
    const router = await host.worker.createRouter({ mediaCodecs: routerMediaCodecs(this.codec, INGEST_PROFILE), appData: { showId: this.showId } });
    try {
      // comedia: the transport learns the relay's address from its first packet; separate RTCP
      // because a muxed RTCP packet from another port would pin the tuple to the wrong one.
      const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, comedia: true, rtcpMux: false });
      const cname = `onair-${this.showId}`;
      const video = await transport.produce({ kind: 'video', rtpParameters: producerParameters('video', this.codec, this.ssrcs.video, cname) });
      const audio = await transport.produce({ kind: 'audio', rtpParameters: producerParameters('audio', this.codec, this.ssrcs.audio, cname) });
      await video.enableTraceEvent(['pli', 'fir']);
      video.on('trace', (trace) => {
        if (trace.direction === 'out') this.safeEmit('keyframerequest');
      });
      if (this.closed) throw new Error('show closed while its origin was placed');
      this.origin = { host, router, transport, producers: { video, audio } };
      await this.relay.target(this.showId, transport.tuple.localPort);
    } catch (error) {
      router.close();
      throw error;
    }
  }

  /** The show's router on a worker for a payload profile, piped from the origin on first use. */
  routerOn(host: WorkerHost, profile: PayloadProfile): Promise<ViewerRouter> {
    const origin = this.origin;
    if (!origin) return Promise.reject(new Error(`show ${this.showId} has no origin`));
    const key = `${host.index}:${profileKey(profile)}`;
    let edge = this.edges.get(key);
    if (!edge) {
      edge = { host, router: this.pipe(origin, host, profile) };
      this.edges.set(key, edge);
      edge.router.catch(() => this.edges.delete(key));
    }
    return edge.router;
  }

  /**
   * A worker died: its routers are gone with it. If it held the origin, every edge router
   * loses its pipe too, so they are closed (their viewers reconnect) and the origin is
   * rebuilt on `replacement`.
   */
  async workerDied(dead: WorkerHost, replacement: WorkerHost): Promise<void> {
    for (const [key, edge] of this.edges) if (edge.host === dead) this.edges.delete(key);
    if (this.origin?.host !== dead) return;
    this.origin = undefined;
    this.closeEdges();
    await this.placeOrigin(replacement);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEdges();
    this.origin?.router.close();
    this.origin = undefined;
    this.removeAllListeners();
  }

  private closeEdges(): void {
    for (const edge of this.edges.values()) void edge.router.then(({ router }) => router.close(), () => undefined);
    this.edges.clear();
  }

  private async pipe(origin: Origin, host: WorkerHost, profile: PayloadProfile): Promise<ViewerRouter> {
    const router = await host.worker.createRouter({ mediaCodecs: routerMediaCodecs(this.codec, profile), appData: { showId: this.showId } });
    try {
      // New ids: a pipe producer on the origin's own worker may not reuse the original's.
      const pipe = (producer: types.Producer) =>
        origin.router.pipeToRouter({ producerId: producer.id, router, keepId: false, listenInfo: { protocol: 'udp', ip: '127.0.0.1' } });
      const video = await pipe(origin.producers.video);
      const audio = await pipe(origin.producers.audio);
      return { router, producerIds: { video: video.pipeProducer!.id, audio: audio.pipeProducer!.id } };
    } catch (error) {
      router.close();
      throw error;
    }
  }
}
