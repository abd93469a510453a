import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resampler } from '../../pipeline/audio/Resampler.js';

function sine(rate: number, hz: number, seconds: number): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) => Math.round(16_000 * Math.sin((2 * Math.PI * hz * i) / rate)));
}

test('22.05 kHz → 48 kHz keeps length, frequency and amplitude', () => {
  const input = sine(22_050, 440, 1);
  const resampler = new Resampler(22_050, 48_000);
  const out = Int16Array.from([...resampler.push(input), ...resampler.flush()]);
  assert.ok(Math.abs(out.length - 48_000) <= 8, `length ${out.length}`);
  let crossings = 0;
  for (let i = 1; i < out.length; i++) if (out[i - 1]! < 0 && out[i]! >= 0) crossings++;
  assert.ok(Math.abs(crossings - 440) <= 1, `${crossings} cycles`);
  const peak = Math.max(...out.subarray(1000, 47_000));
  assert.ok(Math.abs(peak - 16_000) < 200, `peak ${peak}`);
});

test('chunked input resamples exactly like one buffer', () => {
  const input = sine(22_050, 1_000, 0.2);
  const whole = new Resampler(22_050, 48_000);
  const expected = [...whole.push(input), ...whole.flush()];
  const chunked = new Resampler(22_050, 48_000);
  const out: number[] = [];
  for (let i = 0; i < input.length; i += 317) out.push(...chunked.push(input.subarray(i, i + 317)));
  out.push(...chunked.flush());
  assert.deepEqual(out, expected);
});
