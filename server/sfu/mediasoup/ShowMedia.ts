import type { types } from 'mediasoup';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { Origin, OriginSource } from './OriginSource.js';
import { profileKey, routerMediaCodecs, type PayloadProfile } from './rtpParameters.js';
import type { WorkerHost } from './WorkerHost.js';

/** A router viewers consume from, with the ids of the show's producers in it. */
export interface ViewerRouter {
  router: types.Router;
  producerIds: { video: string; audio: string };
}

/**
 * One show's routers. The origin router, on one worker, holds the show's two producers, fed
 * by its source (the ingest relay, or a pipe from another node); `pipeToRouter` carries them
 * to the show's viewer routers: one per worker that has viewers of it and per payload
 * profile (see rtpParameters.ts), however many viewers each serves.
 */
export class ShowMedia {
  private _origin: Origin | undefined;
  /** Viewer routers by worker and payload profile, each piped from the origin. */
  private readonly edges = new Map<string, { host: WorkerHost; router: Promise<ViewerRouter> }>();
  private closed = false;

  constructor(
    readonly showId: string,
    readonly source: OriginSource,
  ) {}

  get codec(): VideoCodecName {
    return this.source.codec;
  }

  get origin(): Origin | undefined {
    return this._origin;
  }

  get originHost(): WorkerHost | undefined {
    return this._origin?.host;
  }

  /**
   * A simulcast show's floor under each viewer's bandwidth estimate, in bps: what its low layer
   * needs, with a quarter more for keyframes. mediasoup sends a viewer no video at all while its
   * estimate is below the low layer's bitrate, which a lossy link's estimate dips under for
   * seconds at a time; a viewer on a link even slower than the low layer is better served by it
   * than by nothing. Undefined for a show with one layer, or whose bitrates are not known.
   */
  get bitrateFloor(): number | undefined {
    const [low, top] = this._origin?.producers.video.rtpParameters.encodings ?? [];
    return top && low?.maxBitrate ? Math.round(low.maxBitrate * 1.25) : undefined;
  }

  /** Builds the origin on a worker from the show's source; the old origin, if any, is gone. */
  async placeOrigin(host: WorkerHost): Promise<void> {
    const origin = await this.source.build(host);
    if (this.closed) {
      origin.router.close();
      throw new Error('show closed while its origin was placed');
    }
    this._origin = origin;
  }

  /** The show's router on a worker for a payload profile, piped from the origin on first use. */
  routerOn(host: WorkerHost, profile: PayloadProfile): Promise<ViewerRouter> {
    const origin = this._origin;
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
    if (this._origin?.host !== dead) return;
    this._origin = undefined;
    this.closeEdges();
    await this.placeOrigin(replacement);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEdges();
    this._origin?.router.close();
    this._origin = undefined;
    this.source.close();
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
