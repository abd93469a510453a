import type { VideoCodecName } from '../../lib/media/codecs.js';
import type { PixelFormat } from '../../lib/media/MediaSource.js';

export interface EncoderSettings {
  width: number;
  height: number;
  fps: number;
  videoCodec: VideoCodecName;
  /** Keyframe interval; it bounds how long a new viewer waits for a decodable frame. */
  keyframeIntervalMs: number;
  videoBitrateKbps: number;
  audioBitrateKbps: number;
  /**
   * Threads for x264 and the filters (the conversion, the low layer's scale). Default 1: one
   * thread encodes a 360p–720p frame in a few ms of its 33, and the threads' hand-offs cost
   * ffmpeg ~15% more CPU at 360p. 0: ffmpeg picks, one per core (lower latency at 1080p).
   */
  threads?: number;
  /** The layout of the pictures written to the encoder; RGBA when absent. */
  pixelFormat?: PixelFormat;
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
