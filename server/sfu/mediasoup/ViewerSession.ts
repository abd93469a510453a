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

export type ViewerSessionEvents = {
  state: [state: ViewerState];
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
}

/**
 * One WHEP viewer on mediasoup: a WebRtcTransport on its worker's WebRtcServer and a
 * consumer per kind. It closes itself when ICE or DTLS fail, when it never connects, when
 * its router or producers go away, and it says so once with `state: closed`.
 */
export class ViewerSession extends EnhancedEventEmitter<ViewerSessionEvents> {
  private timer: NodeJS.Timeout | undefined;
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
  static async create({ sessionId, showId, host, router, producerIds, offer, codecs }: ViewerSessionOptions): Promise<{ session: ViewerSession; answerSdp: string }> {
    const rtpCapabilities = viewerCapabilities(offer, codecs);
    for (const producerId of [producerIds.video, producerIds.audio]) {
      if (!router.canConsume({ producerId, rtpCapabilities })) throw new SfuError('NO_COMMON_CODEC', 'the offer accepts none of the codecs the show sends');
    }
    const transport = await router.createWebRtcTransport({ webRtcServer: host.webRtcServer, enableUdp: true, enableTcp: true, preferUdp: true, appData: { sessionId } });
    const session = new ViewerSession(sessionId, showId, host, transport);
    try {
      const consume = (producerId: string, mid: string) => transport.consume({ producerId, rtpCapabilities, mid });
      const consumers = { video: await consume(producerIds.video, offer.video.mid), audio: await consume(producerIds.audio, offer.audio.mid) };
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

  close(): void {
    if (this._closed) return;
    this._closed = true;
    clearTimeout(this.timer);
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
