import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { Fmp4Reader, type Fmp4Fragment, type Fmp4Init } from '../../pipeline/encode/fmp4/Fmp4Reader.js';

/** 1.5 s of real ffmpeg output with the live encoder's fragmenting flags. */
const FMP4 = execFileSync('ffmpeg', [
  '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=sample_rate=48000',
  '-t', '1.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p', '-g', '15', '-bf', '0', '-c:a', 'aac',
  '-f', 'mp4', '-movflags', '+empty_moov+default_base_moof+frag_keyframe', '-frag_duration', '200000', 'pipe:1',
]);

function read(chunks: Buffer[]): { inits: Fmp4Init[]; fragments: Fmp4Fragment[]; errors: Error[] } {
  const reader = new Fmp4Reader();
  const out = { inits: [] as Fmp4Init[], fragments: [] as Fmp4Fragment[], errors: [] as Error[] };
  reader.on('init', (init) => out.inits.push(init));
  reader.on('fragment', (fragment) => out.fragments.push(fragment));
  reader.on('error', (error) => out.errors.push(error));
  for (const chunk of chunks) reader.push(chunk);
  return out;
}

test('fragments and their timing come out the same however the pipe cuts the bytes', () => {
  const whole = read([FMP4]);
  assert.equal(whole.inits.length, 1);
  assert.match(whole.inits[0]!.codecs, /^avc1\.42c0[0-9a-f]{2},mp4a\.40\.2$/, 'baseline H.264 and AAC-LC');
  assert.ok(whole.fragments.length >= 7, `${whole.fragments.length} fragments`);
  assert.equal(whole.fragments.filter((f) => f.independent).length, 3, 'one keyframe every 500 ms');
  const total = whole.fragments.reduce((sum, f) => sum + f.durationS, 0);
  assert.ok(Math.abs(total - 1.5) < 0.05, `the fragments cover ${total} s`);
  const bytes = whole.fragments.reduce((sum, f) => sum + f.data.length, whole.inits[0]!.data.length);
  assert.ok(bytes >= FMP4.length - 1024, 'every byte but a trailing index is in an init or a fragment');

  let at = 0;
  const ragged: Buffer[] = [];
  for (let size = 1; at < FMP4.length; size = (size * 7 + 3) % 5000) ragged.push(FMP4.subarray(at, (at += size)));
  const cut = read(ragged);
  assert.deepEqual(cut.fragments.map((f) => [f.startS, f.durationS, f.independent, f.data.length]), whole.fragments.map((f) => [f.startS, f.durationS, f.independent, f.data.length]));
});

test('a corrupt stream is one error, not a crash or an unbounded buffer', () => {
  const corrupt = Buffer.from(FMP4);
  const moof = corrupt.indexOf('moof');
  corrupt.writeUInt32BE(0xfffffff0, moof - 4);
  const out = read([corrupt, FMP4]);
  assert.equal(out.errors.length, 1);
  assert.match(out.errors[0]!.message, /impossible size/);
  assert.equal(out.fragments.length, 0, 'nothing after the corruption is trusted');
});
