import type { types } from 'mediasoup';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import type { ViewerState } from '../Sfu.js';
import { SfuError } from '../errors.js';
import type { ViewerOffer } from '../viewerOffer.js';
import { answerSdp } from './answerSdp.js';
import { viewerCapabilities } from './rtpParameters.js';
import type { OfferedCodec } from '../viewerOffer.js';
import type { WorkerHost } from './WorkerHost.js';

const CONNECT_TIMEOUT_MS = 15_000;
const DISCONNECTED_GRACE_MS = 8_000;
/**
 * How long a new viewer of a simulcast show stays on the low layer. Its link is unknown: the top
 * layer's first keyframe on a slow link stalls the picture for seconds before the bandwidth
 * estimate catches up, while 2 s of the low layer's feedback is enough for the estimate to
 * say whether the top layer fits. mediasoup moves a viewer up only when it does.
 */
const LOW_LAYER_START_MS = 2_000;
const TRANSPORT_CC_URI = 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01';

export type ViewerSessionEvents = {
  state: [state: ViewerState];
  /** The spatial layer the viewer receives changed (simulcast shows): 0 is the low one; `previous` is undefined at the first. */
  layerchange: [spatialLayer: number, previous: number | undefined];
};

export interface ViewerSessionOptions {
  sessionId: string;
  showId: string;
  host: WorkerHost;
  router: types.Router;
  producerIds: { video: string; audio: string };
  offer: ViewerOffer;
  /** The offered codecs the router sends with (its payload types are these). */
  codecs: { video: OfferedCodec; audio: OfferedCodec };
  /** The floor under the viewer's bandwidth estimate, and where it starts, in bps (ShowMedia.bitrateFloor). */
  minOutgoingBitrate?: number;
}

/**
 * One WHEP viewer on mediasoup: a WebRtcTransport on its worker's WebRtcServer and a
 * consumer per kind. It closes itself when ICE or DTLS fail, when it never connects, when
 * its router or producers go away, and it says so once with `state: closed`.
 */
export class ViewerSession extends EnhancedEventEmitter<ViewerSessionEvents> {
  private timer: NodeJS.Timeout | undefined;
  private layerTimer: NodeJS.Timeout | undefined;
  private _spatialLayer: number | undefined;
  private dtlsConnected = false;
  private _closed = false;

  private constructor(
    readonly sessionId: string,
    readonly showId: string,
    readonly host: WorkerHost,
    private readonly transport: types.WebRtcTransport,
  ) {
    super();
    transport.on('icestatechange', (state) => this.onIceState(state));
    transport.on('dtlsstatechange', (state) => this.onDtlsState(state));
    transport.on('routerclose', () => this.close());
    transport.on('listenserverclose', () => this.close());
    this.armTimer(CONNECT_TIMEOUT_MS);
  }

  /** Creates the transport and consumers and answers the offer. */
  static async create({ sessionId, showId, host, router, producerIds, offer, codecs, minOutgoingBitrate }: ViewerSessionOptions): Promise<{ session: ViewerSession; answerSdp: string }> {
    const rtpCapabilities = viewerCapabilities(offer, codecs);
    for (const producerId of [producerIds.video, producerIds.audio]) {
      if (!router.canConsume({ producerId, rtpCapabilities })) throw new SfuError('NO_COMMON_CODEC', 'the offer accepts none of the codecs the show sends');
    }
    const transport = await router.createWebRtcTransport({
      webRtcServer: host.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      // The estimate starts where the low layer fits, not at mediasoup's 600 kbps, which an idle
      // presenter's top layer fits under: the top layer is earned by probing, or a new viewer on a
      // slow link is sent it for seconds, until congestion shows.
      ...(minOutgoingBitrate !== undefined && { initialAvailableOutgoingBitrate: minOutgoingBitrate }),
      appData: { sessionId },
    });
    const session = new ViewerSession(sessionId, showId, host, transport);
    try {
      if (minOutgoingBitrate !== undefined) await transport.setMinOutgoingBitrate(minOutgoingBitrate);
      const consume = (producerId: string, mid: string) => transport.consume({ producerId, rtpCapabilities, mid });
      const consumers = { video: await consume(producerIds.video, offer.video.mid), audio: await consume(producerIds.audio, offer.audio.mid) };
      await session.startLayers(consumers.video);
      for (const consumer of [consumers.video, consumers.audio]) consumer.on('producerclose', () => session.close());
      // The offerer's "actpass" leaves the choice to us: we are the DTLS server, it the client.
      const setup = offer.setup === 'passive' ? 'active' : 'passive';
      await transport.connect({ dtlsParameters: { role: setup === 'passive' ? 'client' : 'server', fingerprints: offer.fingerprints as types.DtlsFingerprint[] } });
      return { session, answerSdp: answerSdp({ offer, transport, setup, consumers, streamId: `onair-${showId}` }) };
    } catch (error) {
      session.close();
      if (error instanceof SfuError) throw error;
      // mediasoup throws TypeError for parameters it refuses (from the offer); anything else is ours.
      if (error instanceof TypeError) throw new SfuError('INVALID_SDP', `offer rejected: ${error.message}`);
      throw new SfuError('SFU_UNAVAILABLE', `the viewer could not be set up: ${(error as Error).message}`);
    }
  }

  get closed(): boolean {
    return this._closed;
  }

  /** The spatial layer the viewer receives (0 the low one); undefined for a show with one layer, or none yet. */
  get spatialLayer(): number | undefined {
    return this._spatialLayer;
  }

  /**
   * A simulcast consumer with a bandwidth estimate (transport-wide congestion control survived
   * in its parameters: its offer used mediasoup's ids, as our pages do) starts on the low layer,
   * before any media flows (the transport is not connected yet), and may go up after
   * LOW_LAYER_START_MS; from then on mediasoup picks its layer by the estimate. One without an
   * estimate keeps the top layer from the start, as without simulcast: nothing would tell
   * mediasoup when to leave it, and a switch costs a keyframe.
   */
  private async startLayers(video: types.Consumer): Promise<void> {
    if (video.type !== 'simulcast') return;
    video.on('layerschange', (layers) => {
      const previous = this._spatialLayer;
      if (!layers || layers.spatialLayer === previous) return;
      this._spatialLayer = layers.spatialLayer;
      this.safeEmit('layerchange', layers.spatialLayer, previous);
    });
    if (!video.rtpParameters.headerExtensions?.some((e) => e.uri === TRANSPORT_CC_URI)) return;
    await video.setPreferredLayers({ spatialLayer: 0 });
    // The worker clamps the preference to the producer's top layer.
    this.layerTimer = setTimeout(() => void video.setPreferredLayers({ spatialLayer: 255 }).catch(() => undefined), LOW_LAYER_START_MS);
    this.layerTimer.unref();
  }

  close(): void {
    if (this._closed) return;
    this._closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.layerTimer);
    this.transport.close();
    this.safeEmit('state', 'closed');
    this.removeAllListeners();
  }

  private onIceState(state: types.IceState): void {
    if (state === 'disconnected') {
      this.armTimer(DISCONNECTED_GRACE_MS);
      this.safeEmit('state', 'disconnected');
    } else if ((state === 'connected' || state === 'completed') && this.dtlsConnected) {
      clearTimeout(this.timer);
      this.safeEmit('state', 'connected');
    } else if (state === 'closed') {
      this.close();
    }
  }

  private onDtlsState(state: types.DtlsState): void {
    if (state === 'connecting') this.safeEmit('state', 'connecting');
    if (state === 'connected') {
      this.dtlsConnected = true;
      clearTimeout(this.timer);
      this.safeEmit('state', 'connected');
    }
    if (state === 'failed' || state === 'closed') this.close();
  }

  private armTimer(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(), ms);
    this.timer.unref();
  }
}
