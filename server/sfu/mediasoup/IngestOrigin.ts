import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import { lowLayerBitrateKbps } from '../../../lib/media/simulcast.js';
import type { IngestSsrcs } from '../ingest/Ingest.js';
import type { IngestRelay } from '../ingest/IngestRelay.js';
import type { Origin, OriginSource } from './OriginSource.js';
import { INGEST_PROFILE, producerParameters, routerMediaCodecs } from './rtpParameters.js';
import type { WorkerHost } from './WorkerHost.js';

export type IngestOriginEvents = {
  /** The origin producer asked the encoder for a keyframe (a viewer's PLI/FIR, here or on an edge node, or a new consumer). */
  keyframerequest: [];
};

/** A show ingested on this node: its origin is a PlainTransport that the ingest relay feeds. */
export class IngestOrigin extends EnhancedEventEmitter<IngestOriginEvents> implements OriginSource {
  constructor(
    readonly showId: string,
    readonly codec: VideoCodecName,
    private readonly relay: IngestRelay,
    private readonly ssrcs: IngestSsrcs,
    private readonly videoBitrateKbps: number | undefined,
  ) {
    super();
  }

  /** Creates the origin on a worker and points the relay at it. */
  async build(host: WorkerHost): Promise<Origin> {
    const router = await host.worker.createRouter({ mediaCodecs: routerMediaCodecs(this.codec, INGEST_PROFILE), appData: { showId: this.showId } });
    try {
      // comedia: the transport learns the relay's address from its first packet; separate RTCP
      // because a muxed RTCP packet from another port would pin the tuple to the wrong one.
      const transport = await router.createPlainTransport({ listenInfo: { protocol: 'udp', ip: '127.0.0.1' }, comedia: true, rtcpMux: false });
      const cname = `onair-${this.showId}`;
      const kbps = this.videoBitrateKbps;
      const top = { ssrc: this.ssrcs.video, ...(kbps !== undefined && { maxBitrate: kbps * 1000 }) };
      const low = this.ssrcs.lowVideo !== undefined && { ssrc: this.ssrcs.lowVideo, ...(kbps !== undefined && { maxBitrate: lowLayerBitrateKbps(kbps) * 1000 }) };
      const video = await transport.produce({ kind: 'video', rtpParameters: producerParameters('video', this.codec, low ? [low, top] : [top], cname) });
      const audio = await transport.produce({ kind: 'audio', rtpParameters: producerParameters('audio', this.codec, [{ ssrc: this.ssrcs.audio }], cname) });
      await video.enableTraceEvent(['pli', 'fir']);
      video.on('trace', (trace) => {
        if (trace.direction === 'out') this.safeEmit('keyframerequest');
      });
      await this.relay.target(this.showId, transport.tuple.localPort);
      return { host, router, producers: { video, audio } };
    } catch (error) {
      router.close();
      throw error;
    }
  }

  close(): void {
    this.removeAllListeners();
  }
}
