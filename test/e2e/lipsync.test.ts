import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { launchChromium } from '../helpers/chromium.js';
import { bestLag, keepSpeaking, mouthRegion, readLipSyncSamples, startLipSyncProbe, type MouthRegion } from '../helpers/lipSync.js';
import { createShow, startOnAir } from '../helpers/startOnAir.js';

// bench:lipsync, bounded: one 20 s window instead of many. The bench's target is ±40 ms;
// the test allows ±60 ms for a loaded 2-core machine, and r ≥ 0.5 so that a picture or
// sound that does not move (a non-measurement) cannot pass with a lucky lag.
const WINDOW_MS = 20_000;
// The first seconds of a young show are skipped: there the picture ran 55–95 ms early while the
// overload policy settled (noted in docs/sfu.md), on both backends; the window is steady state.
const WARMUP_MS = 5_000;
const MAX_OFFSET_MS = 60;
const MIN_R = 0.5;

let onair: OnAir;
let browser: Browser;
let showId: string;
let mouth: MouthRegion;

before(
  async () => {
    mouth = await mouthRegion('ava');
    onair = await startOnAir();
    showId = await createShow(onair, 'lip sync', { persona: 'ava' });
    browser = await launchChromium();
  },
  { timeout: 60_000 },
);

after(async () => {
  await browser?.close();
  await onair?.close();
});

test('the viewer sees the mouth move with the voice: A/V offset within ±60 ms over 20 s of speech', { timeout: 120_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(`${onair.url}/watch/${showId}`, { timeout: 15_000 });
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
  await startLipSyncProbe(page, mouth);
  // A second more than warm-up and window, so the window is covered whatever the first frame's delay.
  const cues = await keepSpeaking(onair, showId, Date.now() + WARMUP_MS + WINDOW_MS + 1_000, { cueTimeoutMs: 15_000 });
  const { mouth: mouthSamples, audio: audioSamples } = await readLipSyncSamples(page);
  await page.close();

  assert.ok(mouthSamples.length > 0 && audioSamples.length > 0, `samples: ${mouthSamples.length} frames, ${audioSamples.length} audio`);
  const start = mouthSamples[0]![0] + WARMUP_MS;
  const covered = mouthSamples.at(-1)![0] - start;
  assert.ok(covered >= WINDOW_MS, `frames cover ${covered.toFixed(0)} ms of the ${WINDOW_MS} ms window`);
  const { lagMs, r } = bestLag(mouthSamples, audioSamples, start, start + WINDOW_MS);
  const backend = process.env.SFU_BACKEND ?? 'mediasoup';
  console.log(
    `lipsync (${backend}): offset ${lagMs} ms over ${WINDOW_MS / 1000} s (r=${r.toFixed(2)}), ${cues} cues, ${mouthSamples.length} frames, ${audioSamples.length} audio samples; offset > 0: picture late`,
  );
  assert.ok(r >= MIN_R, `mouth and voice correlate (r=${r.toFixed(2)} at ${lagMs} ms, need ≥ ${MIN_R})`);
  assert.ok(Math.abs(lagMs) <= MAX_OFFSET_MS, `A/V offset ${lagMs} ms (r=${r.toFixed(2)}), allowed ±${MAX_OFFSET_MS} ms`);
});
