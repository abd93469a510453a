import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startsKeyframe } from '../../server/sfu/ingest/keyframe.js';
import { RtpContinuity, TimestampOrigin } from '../../server/sfu/ingest/RtpContinuity.js';
import { rtpSequence, rtpSsrc, rtpTimestamp } from '../../server/sfu/ingest/rtpHeader.js';

function packet(ssrc: number, seq: number, timestamp: number, payload: number[] = [0]): Buffer {
  const buf = Buffer.alloc(12 + payload.length);
  buf[0] = 0x80;
  buf[1] = 96;
  buf.writeUInt16BE(seq & 0xffff, 2);
  buf.writeUInt32BE(timestamp >>> 0, 4);
  buf.writeUInt32BE(ssrc, 8);
  Buffer.from(payload).copy(buf, 12);
  return buf;
}

test('continuity keeps one SSRC and continuous sequence numbers across a source switch', () => {
  const continuity = new RtpContinuity(90_000);
  const out: Buffer[] = [];
  for (let i = 0; i < 5; i++) out.push(rewrite(continuity, packet(111, 65_533 + i, 1000 + i * 3000), i * 33));
  // The encoder restarts: new SSRC, new random bases, 400 ms later.
  for (let i = 0; i < 5; i++) out.push(rewrite(continuity, packet(222, 17 + i, 999_999 + i * 3000), 532 + i * 33));
  assert.equal(new Set(out.map(rtpSsrc)).size, 1);
  for (let i = 1; i < out.length; i++) {
    assert.equal((rtpSequence(out[i]!) - rtpSequence(out[i - 1]!)) & 0xffff, 1, `seq step at ${i}`);
  }
  const jump = (rtpTimestamp(out[5]!) - rtpTimestamp(out[4]!)) >>> 0;
  assert.equal(jump, Math.round(0.4 * 90_000), 'timestamp advances by the real gap');
  assert.equal((rtpTimestamp(out[6]!) - rtpTimestamp(out[5]!)) >>> 0, 3000);
  assert.equal(continuity.sourceSwitches, 1);
});

function rewrite(continuity: RtpContinuity, buf: Buffer, nowMs: number, generation = 0): Buffer {
  continuity.rewrite(buf, nowMs, generation);
  return buf;
}

test('simulcast layers number the same frame alike, the low one a tick ahead, across encoder restarts whichever layer comes first', () => {
  const origin = new TimestampOrigin();
  const top = new RtpContinuity(90_000, { origin, ticks: 0 });
  const low = new RtpContinuity(90_000, { origin, ticks: 1 });
  // Each layer's RTP output has its own random base; frame i is 3000 ticks after frame 0 in both.
  const frame = (continuity: RtpContinuity, ssrc: number, base: number, i: number, generation: number) =>
    rtpTimestamp(rewrite(continuity, packet(ssrc, i, base + i * 3000), i * 33, generation));
  for (let i = 0; i < 3; i++) {
    const topTs = frame(top, 1, 7_000_000, i, 1);
    assert.equal(frame(low, 2, 50_000, i, 1) - topTs, 1, `frame ${i}`);
  }
  // A new encoder process: this time the low layer's first packet arrives first.
  for (let i = 0; i < 3; i++) {
    const lowTs = frame(low, 4, 123, i, 2);
    assert.equal(lowTs - frame(top, 3, 4_000_000_000, i, 2), 1, `frame ${i} after the restart`);
  }
  assert.deepEqual([top.sourceSwitches, low.sourceSwitches], [1, 1]);
});

test('H264 keyframe starts are detected in single NAL, STAP-A and FU-A packets', () => {
  assert.equal(startsKeyframe('H264', packet(1, 1, 1, [0x65, 0x88])), true); // IDR
  assert.equal(startsKeyframe('H264', packet(1, 1, 1, [0x67, 0x42])), true); // SPS
  assert.equal(startsKeyframe('H264', packet(1, 1, 1, [0x41, 0x9a])), false); // non-IDR slice
  assert.equal(startsKeyframe('H264', packet(1, 1, 1, [0x7c, 0x85, 0])), true); // FU-A start of IDR
  assert.equal(startsKeyframe('H264', packet(1, 1, 1, [0x7c, 0x05, 0])), false); // FU-A continuation
  assert.equal(startsKeyframe('H264', packet(1, 1, 1, [0x78, 0, 2, 0x67, 0x42, 0, 1, 0x68])), true); // STAP-A with SPS
});

test('VP8 keyframe starts are detected through the payload descriptor', () => {
  assert.equal(startsKeyframe('VP8', packet(1, 1, 1, [0x10, 0x00])), true);
  assert.equal(startsKeyframe('VP8', packet(1, 1, 1, [0x10, 0x01])), false); // inter frame
  assert.equal(startsKeyframe('VP8', packet(1, 1, 1, [0x00, 0x00])), false); // not a partition start
  assert.equal(startsKeyframe('VP8', packet(1, 1, 1, [0x90, 0x80, 0x81, 0x23, 0x00])), true); // 15-bit PictureID
});
