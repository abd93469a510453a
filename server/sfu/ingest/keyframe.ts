import type { VideoCodecName } from '../../../lib/media/codecs.js';
import { rtpPayloadOffset } from './rtpHeader.js';

const H264_IDR = 5;
const H264_SPS = 7;
const H264_STAP_A = 24;
const H264_FU_A = 28;

/** True when this RTP packet starts a keyframe (H264 IDR/SPS, VP8 key frame). */
export function startsKeyframe(codec: VideoCodecName, packet: Buffer): boolean {
  const payload = packet.subarray(rtpPayloadOffset(packet));
  return codec === 'H264' ? h264StartsKeyframe(payload) : vp8StartsKeyframe(payload);
}

function h264StartsKeyframe(payload: Buffer): boolean {
  if (payload.length < 2) return false;
  const nalType = payload[0]! & 0x1f;
  if (nalType === H264_IDR || nalType === H264_SPS) return true;
  if (nalType === H264_FU_A) {
    const isStart = (payload[1]! & 0x80) !== 0;
    return isStart && (payload[1]! & 0x1f) === H264_IDR;
  }
  if (nalType === H264_STAP_A) {
    let offset = 1;
    while (offset + 2 < payload.length) {
      const size = payload.readUInt16BE(offset);
      const inner = payload[offset + 2]! & 0x1f;
      if (inner === H264_IDR || inner === H264_SPS) return true;
      offset += 2 + size;
    }
  }
  return false;
}

// RFC 7741: payload descriptor, then the VP8 frame header whose bit 0 is 0 on key frames.
function vp8StartsKeyframe(payload: Buffer): boolean {
  if (payload.length < 1) return false;
  const first = payload[0]!;
  const startOfPartition = (first & 0x10) !== 0;
  const partitionIndex = first & 0x07;
  if (!startOfPartition || partitionIndex !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    const ext = payload[offset++];
    if (ext === undefined) return false;
    if (ext & 0x80) offset += (payload[offset]! & 0x80) !== 0 ? 2 : 1; // PictureID
    if (ext & 0x40) offset += 1; // TL0PICIDX
    if (ext & 0x30) offset += 1; // TID/KEYIDX
  }
  const header = payload[offset];
  return header !== undefined && (header & 0x01) === 0;
}
