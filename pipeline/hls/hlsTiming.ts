import type { EncoderSettings } from '../encode/EncoderSettings.js';
import { fragmentFrames, gopFrames as gopFramesOf } from '../encode/ffmpegArgs.js';

/** The fixed durations of one show's LL-HLS output; none of them may change while it runs. */
export interface HlsTiming {
  /** EXT-X-PART-INF:PART-TARGET: no part is longer. */
  partTargetMs: number;
  /** Segments hold whole GOPs, about a second; one closes at the first keyframe past this. */
  segmentSplitMs: number;
  /** EXT-X-TARGETDURATION, whole seconds: every segment's duration rounds to at most this. */
  targetDurationS: number;
  /** PART-HOLD-BACK: how far behind the live edge a low-latency player plays. */
  partHoldBackMs: number;
  /** HOLD-BACK, for players that load whole segments only. */
  holdBackMs: number;
  /** How long a blocking request waits for the part it names before 503. */
  blockingWaitMs: number;
  /** A blocking request this many parts past the newest one gets 400 at once. */
  advancePartLimit: number;
}

const SEGMENT_TARGET_MS = 1_000;

/**
 * Derives the output's timing from the encoder's: ffmpeg cuts a fragment at each keyframe and
 * every `fragmentFrames` frames within a GOP (ffmpegArgs), so that is a part's length.
 */
export function hlsTiming(settings: Pick<EncoderSettings, 'fps' | 'keyframeIntervalMs'>): HlsTiming {
  const framesMs = (frames: number) => (frames * 1000) / settings.fps;
  const gopFrames = gopFramesOf(settings);
  const partFrames = fragmentFrames(settings);
  // Whole milliseconds, rounded up, so a part's DURATION (rounded to the ms) never exceeds it.
  const partTargetMs = Math.ceil(framesMs(partFrames) - 1e-6);
  const gopMs = framesMs(gopFrames);
  const segmentMs = Math.max(1, Math.round(SEGMENT_TARGET_MS / gopMs)) * gopMs;
  // A segment closes at the first keyframe at or past segmentMs - gop/2, so it lasts at most
  // segmentMs + gop/2 even when a GOP runs a frame long (ffmpeg's first one does).
  const targetDurationS = Math.max(1, Math.round((segmentMs + gopMs / 2) / 1000));
  return {
    partTargetMs,
    segmentSplitMs: segmentMs - gopMs / 2,
    targetDurationS,
    // Apple's guidance: three part targets (the spec's floor is two).
    partHoldBackMs: 3 * partTargetMs,
    holdBackMs: 3 * targetDurationS * 1000,
    blockingWaitMs: 3 * targetDurationS * 1000,
    // RFC 8216bis 6.2.5.2: three seconds' worth of parts when parts are under a second.
    advancePartLimit: partTargetMs < 1000 ? Math.floor(3000 / partTargetMs) : 3,
  };
}
