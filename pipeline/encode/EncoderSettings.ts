import type { VideoCodecName } from '../../lib/media/codecs.js';

export interface EncoderSettings {
  width: number;
  height: number;
  fps: number;
  videoCodec: VideoCodecName;
  /** Keyframe interval; it bounds how long a new viewer waits for a decodable frame. */
  keyframeIntervalMs: number;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
}

export const DEFAULT_ENCODER_SETTINGS: EncoderSettings = {
  width: 640,
  height: 360,
  fps: 30,
  videoCodec: 'H264',
  keyframeIntervalMs: 500,
  videoBitrateKbps: 900,
  audioBitrateKbps: 64,
};
