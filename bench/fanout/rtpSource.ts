import { STREAM } from './config.js';
import { writeStamp } from './payload.js';

/** Builds the synthetic RTP packets. Headers are fixed-size (no CSRC, no extension). */
export class SyntheticStream {
  private videoSeq = 1000;
  private audioSeq = 5000;
  private videoTs = 90_000;
  private audioTs = 48_000;
  private frameIndex = 0;

  /** One video frame: packetsPerFrame packets, marker on the last, every keyframeInterval-th a keyframe. */
  nextFrame(micros: number): Buffer[] {
    const keyframe = this.frameIndex % STREAM.keyframeInterval === 0;
    const packets: Buffer[] = [];
    for (let i = 0; i < STREAM.packetsPerFrame; i++) {
      const last = i === STREAM.packetsPerFrame - 1;
      const packet = Buffer.alloc(12 + STREAM.videoPacketBytes);
      writeHeader(
        packet,
        STREAM.videoPayloadType,
        last,
        this.videoSeq,
        this.videoTs,
        STREAM.videoSsrc,
      );
      this.videoSeq = (this.videoSeq + 1) & 0xffff;
      const payload = packet.subarray(12);
      if (i === 0) {
        payload[0] = 0x10; // VP8 payload descriptor: X=0, N=0, S=1, PID=0
        writeVp8FrameHeader(
          payload.subarray(1),
          keyframe,
          STREAM.videoPacketBytes * STREAM.packetsPerFrame,
        );
      } else {
        payload[0] = 0x00; // continuation of partition 0
      }
      writeStamp(payload, micros);
      packets.push(packet);
    }
    this.videoTs = (this.videoTs + 90_000 / STREAM.fps) >>> 0;
    this.frameIndex++;
    return packets;
  }

  nextAudio(micros: number): Buffer {
    const packet = Buffer.alloc(12 + STREAM.audioPacketBytes);
    writeHeader(
      packet,
      STREAM.audioPayloadType,
      true,
      this.audioSeq,
      this.audioTs,
      STREAM.audioSsrc,
    );
    this.audioSeq = (this.audioSeq + 1) & 0xffff;
    this.audioTs = (this.audioTs + (48_000 * STREAM.audioIntervalMs) / 1000) >>> 0;
    const payload = packet.subarray(12);
    payload[0] = 0xfc; // an Opus TOC byte (CELT FB 20 ms, mono, one frame)
    writeStamp(payload, micros);
    return packet;
  }
}

function writeHeader(
  packet: Buffer,
  pt: number,
  marker: boolean,
  seq: number,
  ts: number,
  ssrc: number,
): void {
  packet[0] = 0x80;
  packet[1] = (marker ? 0x80 : 0) | pt;
  packet.writeUInt16BE(seq, 2);
  packet.writeUInt32BE(ts >>> 0, 4);
  packet.writeUInt32BE(ssrc >>> 0, 8);
}

/**
 * RFC 6386 frame tag: bit 0 is 0 on key frames; key frames then carry the start code
 * 9d 01 2a and a 640x360 size. The stamp sits after these bytes, at STAMP_OFFSET.
 */
function writeVp8FrameHeader(out: Buffer, keyframe: boolean, frameBytes: number): void {
  const firstPartitionSize = Math.min(frameBytes >> 2, 0x7ffff);
  const tag = (keyframe ? 0 : 1) | (0 << 1) | (1 << 4) | (firstPartitionSize << 5); // version 0, show_frame=1
  out[0] = tag & 0xff;
  out[1] = (tag >> 8) & 0xff;
  out[2] = (tag >> 16) & 0xff;
  if (keyframe) {
    out[3] = 0x9d;
    out[4] = 0x01;
    out[5] = 0x2a;
    out.writeUInt16LE(640, 6);
    out.writeUInt16LE(360, 8);
  }
}
