import { RTCPeerConnection, RTCRtpCodecParameters, type RtpPacket } from 'werift';

/** A headless test viewer: a werift peer that offers recvonly audio+video and counts what arrives. */
export class WeriftViewer {
  readonly pc: RTCPeerConnection;
  readonly received = { video: [] as RtpPacket[], audio: [] as RtpPacket[] };
  private keepPackets: boolean;

  constructor(
    options: { keepPackets?: boolean; videoCodec?: 'H264' | 'VP8'; onPacket?: (kind: 'video' | 'audio', packet: RtpPacket) => void } = {},
  ) {
    this.keepPackets = options.keepPackets ?? true;
    const video =
      options.videoCodec === 'VP8'
        ? new RTCRtpCodecParameters({ mimeType: 'video/VP8', clockRate: 90000, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }] })
        : new RTCRtpCodecParameters({
            mimeType: 'video/H264',
            clockRate: 90000,
            rtcpFeedback: [{ type: 'nack', parameter: 'pli' }],
            parameters: 'level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f',
          });
    this.pc = new RTCPeerConnection({
      codecs: {
        video: [video],
        audio: [new RTCRtpCodecParameters({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 })],
      },
      // One transport for both m-lines; with two, werift leaves the unbundled one open on close.
      bundlePolicy: 'max-bundle',
      iceUseIpv4: false,
      iceUseIpv6: false,
      iceAdditionalHostAddresses: ['127.0.0.1'],
      iceInterfaceAddresses: { udp4: '127.0.0.1' },
    });
    for (const kind of ['video', 'audio'] as const) {
      const transceiver = this.pc.addTransceiver(kind, { direction: 'recvonly' });
      transceiver.onTrack.subscribe((track) =>
        track.onReceiveRtp.subscribe((packet) => {
          if (this.keepPackets) this.received[kind].push(packet);
          options.onPacket?.(kind, packet);
          this.counts[kind]++;
        }),
      );
    }
  }

  readonly counts = { video: 0, audio: 0 };

  async createOffer(): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    if (this.pc.iceGatheringState !== 'complete') {
      await new Promise<void>((resolve) =>
        this.pc.iceGatheringStateChange.subscribe((s) => s === 'complete' && resolve()),
      );
    }
    return this.pc.localDescription!.sdp;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
  }

  async waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    await this.pc.close().catch(() => undefined);
  }
}
