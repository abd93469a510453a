import { AUDIO_SAMPLE_RATE } from './codecs.js';

/** An encoder process's frame `frame` (counted from its first, 0) plays at `streamTimeMs`. */
export interface FramePoint {
  frame: number;
  streamTimeMs: number;
  fps: number;
}

/** The RTP clock rate of our video (every codec we send uses 90 kHz). */
const VIDEO_RTP_RATE = 90_000;

/** RTP ticks from an encoder process's first frame to its frame `frame`, per kind. */
export function rtpTicksAt(frame: number, fps: number, kind: 'video' | 'audio'): number {
  return frame === 0 ? 0 : Math.round((frame * (kind === 'video' ? VIDEO_RTP_RATE : AUDIO_SAMPLE_RATE)) / fps);
}

const MAX_POINTS = 64;

/**
 * Where an encoder process's frames are on the show clock. ffmpeg numbers its input frames
 * (and the audio that goes with them) one after the other, so a frame the encoder drops
 * instead of writing shifts everything after it by one frame on the process's own clock: its
 * RTP timestamps and its fragments' times. Every write after a drop is a new point here, so
 * those times map back onto the stream clock exactly, however many frames were dropped.
 */
export class FrameTimeline {
  private readonly points: FramePoint[] = [];

  constructor(readonly fps: number) {}

  /** The point for the frame written after the first frame or a drop. */
  mark(frame: number, streamTimeMs: number): FramePoint {
    const point = { frame, streamTimeMs, fps: this.fps };
    this.points.push(point);
    // Fragments are placed within a second or two of their frames being written.
    if (this.points.length > MAX_POINTS) this.points.shift();
    return point;
  }

  /** The stream time of the process's own time `processS` (seconds from its first frame). */
  streamTimeAt(processS: number): number | undefined {
    const frame = processS * this.fps;
    // Half a frame of slack: container times are rounded to their timescale.
    const point = this.points.findLast((p) => p.frame <= frame + 0.5) ?? this.points[0];
    return point && point.streamTimeMs + ((frame - point.frame) * 1000) / this.fps;
  }
}
