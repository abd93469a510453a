import { RTCPeerConnection, type MediaStreamTrack, type RTCRtpSender } from 'werift';
import type { ViewerState } from '../Sfu.js';
import { InvalidSdpError } from '../errors.js';
import { opusCodecParameters, videoCodecParameters } from './codecs.js';
import type { IceOptions } from './iceOptions.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';

const GATHER_TIMEOUT_MS = 3_000;
const CONNECT_TIMEOUT_MS = 15_000;
const DISCONNECTED_GRACE_MS = 8_000;

export interface ViewerPeerOptions {
  sessionId: string;
  videoCodec: VideoCodecName;
  videoTrack: MediaStreamTrack;
  audioTrack: MediaStreamTrack;
  /** Both tracks share this stream id (a=msid), so browsers lip-sync them against each other. */
  streamId: string;
  ice: IceOptions;
  onState: (state: ViewerState) => void;
  onPictureLoss: () => void;
}

/** One viewer's werift peer connection: answers their offer and sends the show's shared tracks. */
export class ViewerPeer {
  private readonly pc: RTCPeerConnection;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private senders: Record<'video' | 'audio', RTCRtpSender> | undefined;

  constructor(private readonly options: ViewerPeerOptions) {
    this.pc = new RTCPeerConnection({
      codecs: { video: [videoCodecParameters(options.videoCodec)], audio: [opusCodecParameters()] },
      ...options.ice,
    });
    this.pc.connectionStateChange.subscribe((state) => this.onConnectionState(state));
    this.armTimer(CONNECT_TIMEOUT_MS);
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  async answer(offerSdp: string): Promise<string> {
    try {
      await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    } catch (error) {
      throw new InvalidSdpError(`offer rejected: ${(error as Error).message}`);
    }
    await this.attachTracks();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    await this.gatheringComplete();
    const sdp = this.pc.localDescription?.sdp;
    if (!sdp) throw new InvalidSdpError('no local description was produced');
    return sdp;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    void this.pc.close().catch(() => undefined);
    this.options.onState('closed');
  }

  private async attachTracks(): Promise<void> {
    const transceivers = this.pc.getTransceivers();
    const video = transceivers.find((t) => t.kind === 'video');
    const audio = transceivers.find((t) => t.kind === 'audio');
    if (!video || !audio) throw new InvalidSdpError('the offer must have one audio and one video m-line');
    for (const [transceiver, track] of [
      [video, this.options.videoTrack],
      [audio, this.options.audioTrack],
    ] as const) {
      transceiver.setDirection('sendonly');
      await transceiver.sender.replaceTrack(track);
      transceiver.sender.streamId = this.options.streamId;
    }
    video.sender.onPictureLossIndication.subscribe(() => this.options.onPictureLoss());
    this.senders = { video: video.sender, audio: audio.sender };
  }

  /** The sender of one kind, once the offer is answered. */
  sender(kind: 'video' | 'audio'): RTCRtpSender | undefined {
    return this.senders?.[kind];
  }

  private gatheringComplete(): Promise<void> {
    if (this.pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timeout = setTimeout(resolve, GATHER_TIMEOUT_MS);
      this.pc.iceGatheringStateChange.subscribe((state) => {
        if (state !== 'complete') return;
        clearTimeout(timeout);
        resolve();
      });
    });
  }

  private onConnectionState(state: string): void {
    if (this.closed) return;
    if (state === 'connected') clearTimeout(this.timer);
    if (state === 'disconnected') this.armTimer(DISCONNECTED_GRACE_MS);
    if (state === 'failed' || state === 'closed') return this.close();
    this.options.onState(state as ViewerState);
  }

  private armTimer(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.close(), ms);
    this.timer.unref();
  }
}
