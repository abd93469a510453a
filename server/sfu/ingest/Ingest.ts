import dgram from 'node:dgram';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { AUDIO_PAYLOAD_TYPE, VIDEO_PAYLOAD_TYPE, type IngestStats } from '../Sfu.js';
import { type IngestEndpoint, type RtpSourcePorts } from '../../../lib/media/IngestEndpoint.js';
import { type MediaKind, type VideoCodecName } from '../../../lib/media/codecs.js';
import { startsKeyframe } from './keyframe.js';
import { RtpContinuity, TimestampOrigin } from './RtpContinuity.js';
import { isRtpPacket, rtpPayloadType, rtpTimestamp } from './rtpHeader.js';

export type IngestEvents = {
  packet: [kind: MediaKind, packet: Buffer, keyframe: boolean];
  /** A packet of the low video layer (simulcast ingests): it goes to the SFU, not to egress shards. */
  lowvideo: [packet: Buffer];
  /** The first packet of a kind from a new encoder process, with its (rewritten) RTP timestamp. */
  mediasource: [kind: MediaKind, rtpTimestamp: number];
};

/**
 * Receives one show's RTP from its encoder on a loopback UDP port. Video and audio
 * share the port and are told apart by payload type; RTCP from the encoder is
 * drained on a second socket (the SFU generates its own towards viewers).
 *
 * Only the show's encoder is a source: each encoder process sends from loopback ports it
 * announced before it started (`expectSource`), and packets from any other address or port,
 * or of the other kind's payload type, are dropped and counted as foreign. Until the first
 * announcement nothing is accepted.
 */
export class Ingest extends EnhancedEventEmitter<IngestEvents> {
  private readonly video: RtpContinuity;
  private readonly audio = new RtpContinuity(48_000);
  /** The low video layer, when the ingest is simulcast: its timestamps number frames as the top layer's do. */
  private readonly lowVideo: RtpContinuity | undefined;
  /** Encoder processes announced so far (expectSource). */
  private generation = 0;
  private videoPackets = 0;
  private audioPackets = 0;
  private bytes = 0;
  private keyframes = 0;
  private foreignPackets = 0;
  private source: RtpSourcePorts | undefined;
  private closed = false;

  private constructor(
    readonly showId: string,
    readonly codec: VideoCodecName,
    private readonly rtpSocket: dgram.Socket,
    private readonly rtcpSocket: dgram.Socket,
    simulcast: boolean,
  ) {
    super();
    const origin = simulcast ? new TimestampOrigin() : undefined;
    this.video = new RtpContinuity(90_000, origin && { origin, ticks: 0 });
    if (origin) this.lowVideo = new RtpContinuity(90_000, { origin, ticks: 1 });
    rtpSocket.on('message', (msg, from) => this.onPacket(msg, from));
    rtcpSocket.on('message', () => undefined);
  }

  static async open(showId: string, codec: VideoCodecName, simulcast = false): Promise<Ingest> {
    const buffers = { recvBufferSize: 4 * 1024 * 1024 };
    const [rtp, rtcp] = await Promise.all([bindLoopback(buffers), bindLoopback(buffers)]);
    return new Ingest(showId, codec, rtp, rtcp, simulcast);
  }

  get endpoint(): IngestEndpoint {
    return {
      showId: this.showId,
      host: '127.0.0.1',
      rtpPort: this.rtpSocket.address().port,
      rtcpPort: this.rtcpSocket.address().port,
      videoPayloadType: VIDEO_PAYLOAD_TYPE,
      audioPayloadType: AUDIO_PAYLOAD_TYPE,
      simulcast: this.lowVideo !== undefined,
    };
  }

  /** The SSRCs viewers see, constant across encoder restarts. */
  get ssrcs(): IngestSsrcs {
    return { video: this.video.outputSsrc, audio: this.audio.outputSsrc, ...(this.lowVideo && { lowVideo: this.lowVideo.outputSsrc }) };
  }

  /** The ingest's own counters; the relay adds what it dropped on the way to egress shards. */
  stats(): Omit<IngestStats, 'droppedVideoPackets' | 'droppedAudioPackets'> {
    return {
      showId: this.showId,
      videoPackets: this.videoPackets,
      audioPackets: this.audioPackets,
      bytes: this.bytes,
      sourceSwitches: this.video.sourceSwitches + this.audio.sourceSwitches,
      keyframes: this.keyframes,
      foreignPackets: this.foreignPackets,
    };
  }

  /** The next encoder process sends from these ports; the previous one's packets are foreign from now on. */
  expectSource(source: RtpSourcePorts): void {
    this.source = source;
    this.generation++;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rtpSocket.close();
    this.rtcpSocket.close();
    this.removeAllListeners();
  }

  private onPacket(packet: Buffer, from: dgram.RemoteInfo): void {
    if (!isRtpPacket(packet)) return;
    const payloadType = rtpPayloadType(packet);
    if (!this.fromEncoder(payloadType, from)) {
      this.foreignPackets++;
      return;
    }
    const now = performance.now();
    this.bytes += packet.length;
    if (this.lowVideo && from.port === this.source?.lowVideo) {
      this.lowVideo.rewrite(packet, now, this.generation);
      this.safeEmit('lowvideo', packet);
    } else if (payloadType === VIDEO_PAYLOAD_TYPE) {
      this.videoPackets++;
      if (this.video.rewrite(packet, now, this.generation)) this.safeEmit('mediasource', 'video', rtpTimestamp(packet));
      const keyframe = startsKeyframe(this.codec, packet);
      if (keyframe) this.keyframes++;
      this.safeEmit('packet', 'video', packet, keyframe);
    } else if (payloadType === AUDIO_PAYLOAD_TYPE) {
      this.audioPackets++;
      if (this.audio.rewrite(packet, now)) this.safeEmit('mediasource', 'audio', rtpTimestamp(packet));
      this.safeEmit('packet', 'audio', packet, false);
    }
  }

  private fromEncoder(payloadType: number, from: dgram.RemoteInfo): boolean {
    const source = this.source;
    if (!source || from.address !== '127.0.0.1') return false;
    if (payloadType === VIDEO_PAYLOAD_TYPE) return from.port === source.video || (this.lowVideo !== undefined && from.port === source.lowVideo);
    if (payloadType === AUDIO_PAYLOAD_TYPE) return from.port === source.audio;
    return false;
  }
}

/** The SSRCs an ingest sends with, whatever encoder process is behind it. */
export interface IngestSsrcs {
  video: number;
  audio: number;
  /** The low video layer's (simulcast ingests). */
  lowVideo?: number;
}

/** A UDP socket on an ephemeral loopback port. */
export function bindLoopback(buffers: { recvBufferSize?: number; sendBufferSize?: number } = {}): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', ...buffers });
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}
