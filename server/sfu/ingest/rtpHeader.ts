/** Minimal RTP header access on raw packets (RFC 3550), without allocating. */
export const RTP_MIN_HEADER = 12;

export function isRtpPacket(buf: Buffer): boolean {
  return buf.length >= RTP_MIN_HEADER && buf[0]! >> 6 === 2;
}

export const rtpPayloadType = (buf: Buffer): number => buf[1]! & 0x7f;
export const rtpSequence = (buf: Buffer): number => buf.readUInt16BE(2);
export const rtpTimestamp = (buf: Buffer): number => buf.readUInt32BE(4);
export const rtpSsrc = (buf: Buffer): number => buf.readUInt32BE(8);

export function rtpPayloadOffset(buf: Buffer): number {
  const csrcCount = buf[0]! & 0x0f;
  let offset = RTP_MIN_HEADER + csrcCount * 4;
  if (buf[0]! & 0x10) {
    if (buf.length < offset + 4) return buf.length;
    offset += 4 + buf.readUInt16BE(offset + 2) * 4;
  }
  return Math.min(offset, buf.length);
}
