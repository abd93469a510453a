/**
 * Where the send time lives in each synthetic payload: a magic word and a float64 of
 * microseconds since the epoch, at a fixed offset past the VP8 descriptor and frame header.
 * Both SFUs relay the payload untouched (they rewrite only RTP headers), so a receiver on
 * the same machine reads the relay delay off its own clock.
 */
export const STAMP_OFFSET = 16;
export const STAMP_MAGIC = 0x4f414642; // "OAFB"
export const STAMP_BYTES = 12;

/** Microseconds since the epoch, sub-millisecond resolution, same clock in every process. */
export function nowMicros(): number {
  return (performance.timeOrigin + performance.now()) * 1000;
}

export function writeStamp(payload: Buffer, micros: number): void {
  payload.writeUInt32BE(STAMP_MAGIC, STAMP_OFFSET);
  payload.writeDoubleBE(micros, STAMP_OFFSET + 4);
}

/** The send time in µs, or undefined when the payload carries no stamp. */
export function readStamp(payload: Buffer): number | undefined {
  if (payload.length < STAMP_OFFSET + STAMP_BYTES) return undefined;
  if (payload.readUInt32BE(STAMP_OFFSET) !== STAMP_MAGIC) return undefined;
  return payload.readDoubleBE(STAMP_OFFSET + 4);
}
