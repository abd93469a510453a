import type { EncodedInit } from '../../lib/media/EncodedMedia.js';
import { hlsNames } from './hlsNames.js';

export interface MultivariantView {
  /** The newest generation's init: its codecs and picture size. */
  init: EncodedInit;
  /** Peak bits per second of video and audio together. */
  bandwidthBps: number;
  fps: number;
}

/**
 * A multivariant playlist with the one rendition there is. Players that need CODECS before
 * they load media (Safari, smart TVs, CDN players) start here; hls.js is as happy with the
 * media playlist alone.
 */
export function renderMultivariantPlaylist({ init, bandwidthBps, fps }: MultivariantView): string {
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:6',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-STREAM-INF:BANDWIDTH=${Math.round(bandwidthBps)},CODECS="${init.codecs}",RESOLUTION=${init.width}x${init.height},FRAME-RATE=${fps.toFixed(3)}`,
    hlsNames.mediaPlaylist,
    '',
  ].join('\n');
}
