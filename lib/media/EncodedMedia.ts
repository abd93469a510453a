/**
 * The encoder's second output besides RTP: the same pictures as H.264 plus AAC audio in
 * fragmented MP4 (CMAF-style, one moof+mdat per fragment). Recording and HLS sinks take it.
 * A new `generation` starts with each encoder process (crash restart, resolution switch):
 * its timestamps restart, so sinks treat it as a discontinuity with a new init segment.
 */
export interface EncodedInit {
  generation: number;
  /** ftyp + moov: the init segment (EXT-X-MAP) of this generation. */
  data: Buffer;
  /** RFC 6381 codecs, e.g. `avc1.42c01f,mp4a.40.2`, for playlists and MediaSource. */
  codecs: string;
  width: number;
  height: number;
}

export interface EncodedFragment {
  generation: number;
  /** Counts the fragments of this generation from 0. */
  index: number;
  /** moof + mdat. */
  data: Buffer;
  /** Where the fragment's first frame is on the show clock (the live lane's stream time). */
  startStreamTimeMs: number;
  durationMs: number;
  /** Starts with a keyframe: a player can start decoding here. */
  independent: boolean;
}
