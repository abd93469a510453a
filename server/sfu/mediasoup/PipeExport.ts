import type { types } from 'mediasoup';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { PipedProducer, PipeEndpoint, ShowExport } from '../Sfu.js';
import { PipeFailedError, SfuError, UnknownIngestError } from '../errors.js';
import { IdleWatch } from './IdleWatch.js';
import type { Origin } from './OriginSource.js';
import { localEndpoint, remoteEndpoint } from './pipeEndpoint.js';
import type { WorkerHost } from './WorkerHost.js';

export type PipeExportEvents = {
  close: [];
};

export interface PipeExportOptions {
  showId: string;
  codec: VideoCodecName;
  origin: Origin;
  edge: PipeEndpoint;
  listenInfo: types.TransportListenInfo;
  /** Closes the export when nothing (no RTCP) has come back from the edge for this long. */
  idleTimeoutMs: number;
}

/**
 * The origin side of one show's pipe towards one edge node: a PipeTransport on the show's
 * origin router (SRTP, and RTX/NACK, since pipes cross real networks) connected to the
 * edge's end, consuming the show's two producers. Keyframe requests from the edge's viewers
 * come back through it to the origin producers. It closes, once, when asked, when the
 * show's producers or router go (the show ended, its worker died), or when the edge has
 * sent nothing for the idle timeout (it left or died without a word).
 */
export class PipeExport extends EnhancedEventEmitter<PipeExportEvents> {
  private readonly idle: IdleWatch;
  private _closed = false;

  private constructor(
    readonly showId: string,
    readonly host: WorkerHost,
    private readonly codec: VideoCodecName,
    private readonly transport: types.PipeTransport,
    private readonly consumers: { video: types.Consumer; audio: types.Consumer },
    idleTimeoutMs: number,
  ) {
    super();
    transport.on('routerclose', () => this.close());
    for (const consumer of [consumers.video, consumers.audio]) consumer.on('producerclose', () => this.close());
    this.idle = new IdleWatch(transport, idleTimeoutMs, () => this.close());
  }

  static async open({ showId, codec, origin, edge, listenInfo, idleTimeoutMs }: PipeExportOptions): Promise<PipeExport> {
    const remote = remoteEndpoint(edge);
    const transport = await origin.router.createPipeTransport({ listenInfo, enableSrtp: true, enableRtx: true, appData: { showId } });
    try {
      await transport.connect(remote);
      const video = await transport.consume({ producerId: origin.producers.video.id });
      const audio = await transport.consume({ producerId: origin.producers.audio.id });
      if (video.closed || audio.closed) throw new UnknownIngestError(showId);
      return new PipeExport(showId, origin.host, codec, transport, { video, audio }, idleTimeoutMs);
    } catch (error) {
      transport.close();
      if (error instanceof SfuError) throw error;
      throw new PipeFailedError(`show ${showId} could not be exported: ${(error as Error).message}`);
    }
  }

  get id(): string {
    return this.transport.id;
  }

  get closed(): boolean {
    return this._closed;
  }

  /** What the edge needs to receive the show: this end of the pipe and the producers' parameters, as plain JSON. */
  describe(): ShowExport {
    const piped = (consumer: types.Consumer): PipedProducer => ({
      id: consumer.producerId,
      kind: consumer.kind,
      rtpParameters: structuredClone(consumer.rtpParameters),
      paused: consumer.producerPaused,
    });
    return {
      pipeId: this.id,
      endpoint: localEndpoint(this.transport),
      codec: this.codec,
      producers: { video: piped(this.consumers.video), audio: piped(this.consumers.audio) },
    };
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    this.idle.stop();
    this.transport.close();
    this.safeEmit('close');
    this.removeAllListeners();
  }
}
