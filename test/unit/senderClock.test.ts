import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShowMediaClock, toNtp } from '../../server/sfu/werift/senderClock.js';

const ntpMs = (ntp: bigint) => Number(ntp >> 32n) * 1000 + (Number(ntp & 0xffffffffn) / 2 ** 32) * 1000;

test('NTP timestamps carry a real fraction of a second', () => {
  const epochMs = Date.UTC(2026, 10, 23, 12, 0, 0, 250);
  assert.ok(Math.abs(ntpMs(toNtp(epochMs)) - (epochMs - Date.UTC(1900, 0, 1))) < 0.001);
  assert.equal(Number(toNtp(epochMs) & 0xffffffffn), 2 ** 30, 'a quarter second is a quarter of 2^32');
});

test('audio and video are stamped from one capture clock, whenever their packets arrive', () => {
  const clock = new ShowMediaClock();
  const base = 1_000_000;
  const videoAt = clock.ntpFor('video', 7_000, base); // the first video packet
  const audioAt = clock.ntpFor('audio', 123_456, base + 80); // its audio arrives 80 ms later: same media time 0
  assert.equal(audioAt, videoAt);
  // One second of media later, on both clocks, however late the packets arrive.
  const video1s = clock.ntpFor('video', 7_000 + 90_000, base + 1_400);
  const audio1s = clock.ntpFor('audio', 123_456 + 48_000, base + 1_010);
  assert.ok(Math.abs(ntpMs(video1s) - ntpMs(audio1s)) < 0.001);
  assert.ok(Math.abs(ntpMs(video1s) - ntpMs(videoAt) - 1_000) < 0.001);
  // RTP timestamps wrap at 2^32.
  const wrapped = new ShowMediaClock();
  wrapped.ntpFor('audio', 0xffff_ff00, base);
  assert.ok(Math.abs(ntpMs(wrapped.ntpFor('audio', 0x100, base)) - ntpMs(toNtp(base)) - (0x200 * 1000) / 48_000) < 0.001);
});
