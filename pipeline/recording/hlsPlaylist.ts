import type { RecordedSegment } from './RecordedSegments.js';

/**
 * The recording's HLS media playlist (fMP4). While recording it is an EVENT playlist
 * (segments are only appended, so it can be watched and survives a crash); at stop it becomes
 * VOD with EXT-X-ENDLIST. Each encoder generation has its own init segment, and a new one is a
 * discontinuity: its timestamps restart.
 */
export function renderPlaylist(segments: readonly RecordedSegment[], options: { ended: boolean; targetSegmentMs: number; streamEpochMs: number }): string {
  // A reduce, not a spread: a day-long show has tens of thousands of segments.
  const longestS = segments.reduce((longest, s) => Math.max(longest, s.durationMs), options.targetSegmentMs) / 1000;
  const lines = [
    '#EXTM3U',
    // 6: EXT-X-MAP in a playlist that is not I-frames only (RFC 8216, section 7).
    '#EXT-X-VERSION:6',
    // Must be at least every EXTINF rounded to the nearest second.
    `#EXT-X-TARGETDURATION:${Math.max(1, Math.round(longestS))}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    `#EXT-X-PLAYLIST-TYPE:${options.ended ? 'VOD' : 'EVENT'}`,
    // Every segment is cut at a keyframe.
    '#EXT-X-INDEPENDENT-SEGMENTS',
  ];
  let generation: number | undefined;
  for (const segment of segments) {
    if (segment.generation !== generation) {
      if (generation !== undefined) lines.push('#EXT-X-DISCONTINUITY');
      lines.push(`#EXT-X-MAP:URI="${segment.initName}"`);
      // Wall time of the generation's first picture, so players and tools can map to real time.
      lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(options.streamEpochMs + segment.startStreamTimeMs).toISOString()}`);
      generation = segment.generation;
    }
    lines.push(`#EXTINF:${(segment.durationMs / 1000).toFixed(5)},`, segment.name);
  }
  if (options.ended) lines.push('#EXT-X-ENDLIST');
  return lines.join('\n') + '\n';
}
