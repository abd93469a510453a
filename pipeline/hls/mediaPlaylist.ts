import { hlsNames } from './hlsNames.js';
import type { HlsSegment } from './HlsSegment.js';
import type { HlsTiming } from './hlsTiming.js';

export interface MediaPlaylistView {
  timing: HlsTiming;
  /** Oldest first; the last may be open. */
  segments: readonly HlsSegment[];
  /** The next part's number, for the preload hint. */
  nextSeq: number;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/**
 * An LL-HLS media playlist (RFC 8216bis with its low-latency tags). Parts are listed for the
 * segments of the last three target durations only, as the spec asks; older segments are
 * listed whole. Every segment carries its program date time, so players (hls.js'
 * `playingDate`) map the playhead to the wall clock and from there to the show's stream time.
 */
export function renderMediaPlaylist({ timing, segments, nextSeq }: MediaPlaylistView): string {
  const first = segments[0];
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    `#EXT-X-TARGETDURATION:${timing.targetDurationS}`,
    `#EXT-X-PART-INF:PART-TARGET=${seconds(timing.partTargetMs)}`,
    `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${seconds(timing.partHoldBackMs)},HOLD-BACK=${seconds(timing.holdBackMs)}`,
    `#EXT-X-MEDIA-SEQUENCE:${first?.msn ?? 0}`,
    // The discontinuities no longer listed: a listed segment's tag still counts in the list.
    `#EXT-X-DISCONTINUITY-SEQUENCE:${first ? first.cc - (first.discontinuity ? 1 : 0) : 0}`,
    // Every segment starts with a keyframe.
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  const partsFrom = firstWithParts(segments, 3 * timing.targetDurationS * 1000);
  segments.forEach((segment, i) => {
    if (segment.discontinuity && i > 0) lines.push('#EXT-X-DISCONTINUITY');
    if (i === 0 || segment.generation !== segments[i - 1]!.generation) lines.push(`#EXT-X-MAP:URI="${hlsNames.init(segment.generation)}"`);
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTimeMs).toISOString()}`);
    if (i >= partsFrom) {
      for (const part of segment.parts) {
        lines.push(`#EXT-X-PART:DURATION=${seconds(part.durationMs)},URI="${hlsNames.part(part.seq)}"${part.independent ? ',INDEPENDENT=YES' : ''}`);
      }
    }
    if (segment.complete) lines.push(`#EXTINF:${seconds(segment.durationMs)},`, hlsNames.segment(segment.msn));
  });
  lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${hlsNames.part(nextSeq)}"`);
  return `${lines.join('\n')}\n`;
}

/** The index of the first segment within `spanMs` of the playlist's end. */
function firstWithParts(segments: readonly HlsSegment[], spanMs: number): number {
  let i = segments.length;
  let fromEndMs = 0;
  while (i > 0 && fromEndMs < spanMs) fromEndMs += segments[--i]!.durationMs;
  return i;
}
