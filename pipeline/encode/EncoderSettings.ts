import type { VideoCodecName } from '../../server/sfu/Sfu.js';

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

export const AUDIO_SAMPLE_RATE = 48_000;

export const DEFAULT_ENCODER_SETTINGS: EncoderSettings = {
  width: 640,
  height: 360,
  fps: 30,
  videoCodec: 'H264',
  keyframeIntervalMs: 500,
  videoBitrateKbps: 900,
  audioBitrateKbps: 64,
};

export function samplesPerFrame(fps: number): number {
  return AUDIO_SAMPLE_RATE / fps;
}
