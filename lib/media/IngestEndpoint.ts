/** Where an encoder sends RTP: video (PT 96) and Opus audio (PT 111) share one UDP port. */
export interface IngestEndpoint {
  showId: string;
  host: '127.0.0.1';
  rtpPort: number;
  rtcpPort: number;
  videoPayloadType: number;
  audioPayloadType: number;
}
