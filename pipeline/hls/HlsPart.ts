/** One fragment of the encoder's output as an LL-HLS partial segment. */
export interface HlsPart {
  /**
   * Counts the sink's parts from 0 and names the part's URI. Being independent of segment
   * numbers, it lets the preload hint name the next part before anyone knows whether that
   * part continues the open segment or starts a new one.
   */
  seq: number;
  /** The media sequence number of its segment, and its index there. */
  msn: number;
  index: number;
  data: Buffer;
  durationMs: number;
  /** Starts with a keyframe. */
  independent: boolean;
}
