/** Media facts every layer agrees on: the encoder, the renderer, the SFU and the sinks. */
export type VideoCodecName = 'H264' | 'VP8';

export type MediaKind = 'video' | 'audio';

/** The show clock runs on audio samples at this rate; video frames land on sample boundaries. */
export const AUDIO_SAMPLE_RATE = 48_000;

export function samplesPerFrame(fps: number): number {
  return AUDIO_SAMPLE_RATE / fps;
}
