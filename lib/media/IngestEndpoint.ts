/** Where an encoder sends RTP: video (PT 96) and Opus audio (PT 111) share one UDP port. */
export interface IngestEndpoint {
  showId: string;
  host: '127.0.0.1';
  rtpPort: number;
  rtcpPort: number;
  videoPayloadType: number;
  audioPayloadType: number;
  /**
   * The ingest also takes a second video layer at half the width and height (simulcast): the
   * SFU sends it to viewers whose link cannot carry the first. It comes from its own port.
   */
  simulcast?: boolean;
}

/**
 * The loopback ports one encoder process sends an ingest's RTP from (ffmpeg's `localrtpport`
 * and `localrtcpport`), chosen before it starts and announced to the ingest, which drops
 * every packet from any other source (see docs/security.md, "Local trust and data").
 */
export interface RtpSourcePorts {
  video: number;
  videoRtcp: number;
  audio: number;
  audioRtcp: number;
  /** The second video layer's ports (IngestEndpoint.simulcast). */
  lowVideo?: number;
  lowVideoRtcp?: number;
}
