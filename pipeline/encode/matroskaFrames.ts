import type { PixelFormat } from '../../lib/media/MediaSource.js';

/**
 * Raw RGBA or I420 frames in a streamed Matroska container, for the live encoder's video input. The
 * pixels are the same bytes a raw pipe would carry; the container adds a timestamp per frame,
 * and that timestamp is the only per-frame signal ffmpeg's CLI can read while it runs: a frame
 * stamped KEYFRAME_MARK_US past its slot is encoded as a keyframe (see `forceKeyframeExpr`).
 * One cluster per frame, sizes known up front; no cues or seek head (nothing seeks a pipe).
 */

/** The offset from its frame slot that marks a frame to be encoded as a keyframe. */
export const KEYFRAME_MARK_US = 100;

/** Timestamps are in microseconds (TimestampScale 1,000 ns). */
const TIMESTAMP_SCALE_NS = 1_000;
const UNKNOWN_SIZE = Buffer.from('01ffffffffffffff', 'hex');

/** The FourCC that names each layout in the track's ColourSpace; ffmpeg maps it to its pixel format. */
const FOURCC: Record<PixelFormat, string> = { rgba: 'RGBA', yuv420p: 'I420' };

/** The stream header: EBML header, a Segment of unknown size, its Info and its one video track. */
export function matroskaHeader(width: number, height: number, fps: number, pixelFormat: PixelFormat = 'rgba'): Buffer {
  const ebml = element('1a45dfa3', Buffer.concat([element('4282', ascii('matroska')), element('4287', uint(4)), element('4285', uint(2))]));
  const info = element('1549a966', Buffer.concat([element('2ad7b1', uint(TIMESTAMP_SCALE_NS)), element('4d80', ascii('onair')), element('5741', ascii('onair'))]));
  const video = element('e0', Buffer.concat([element('b0', uint(width)), element('ba', uint(height)), element('2eb524', ascii(FOURCC[pixelFormat]))]));
  const track = element('ae', Buffer.concat([
    element('d7', uint(1)), element('73c5', uint(1)), element('83', uint(1)), element('86', ascii('V_UNCOMPRESSED')),
    // The frame duration gives ffmpeg the frame rate (x264's rate control needs it), as `-framerate` did for a raw pipe.
    element('23e383', uint(Math.round(1e9 / fps))),
    video,
  ]));
  return Buffer.concat([ebml, Buffer.from('18538067', 'hex'), UNKNOWN_SIZE, info, element('1654ae6b', track)]);
}

/** What precedes one frame's `frameBytes` pixels: a Cluster at `timestampUs` holding one keyframe SimpleBlock. */
export function matroskaFrameHeader(timestampUs: number, frameBytes: number): Buffer {
  const timestamp = element('e7', uint(timestampUs));
  // Track 1, relative timestamp 0, flags: keyframe (every raw frame stands alone).
  const blockHead = Buffer.concat([Buffer.from('a3', 'hex'), size(4 + frameBytes), Buffer.from([0x81, 0x00, 0x00, 0x80])]);
  return Buffer.concat([Buffer.from('1f43b675', 'hex'), size(timestamp.length + blockHead.length + frameBytes), timestamp, blockHead]);
}

/**
 * ffmpeg's `-force_key_frames` expression that picks the marked frames: `t` (seconds from the
 * first frame, in a 1/90,000 encoder time base) sits KEYFRAME_MARK_US past a frame slot.
 */
export function forceKeyframeExpr(fps: number): string {
  const mark = KEYFRAME_MARK_US / 1e6;
  return `expr:lt(abs(t-round(t*${fps})/${fps}-${mark}),${mark / 5})`;
}

function element(id: string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from(id, 'hex'), size(payload.length), payload]);
}

/** An EBML data size: a length marker, then the value big-endian (all ones is reserved for "unknown"). */
function size(value: number): Buffer {
  let length = 1;
  while (value >= 2 ** (7 * length) - 1) length++;
  const out = Buffer.alloc(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  out[0]! |= 1 << (8 - length);
  return out;
}

function uint(value: number): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64BE(BigInt(value));
  let first = 0;
  while (first < 7 && out[first] === 0) first++;
  return out.subarray(first);
}

const ascii = (text: string) => Buffer.from(text, 'ascii');
