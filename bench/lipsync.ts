/**
 * bench:lipsync — lip sync as a viewer sees and hears it. Chromium plays the show; for
 * every presented frame (requestVideoFrameCallback) the page measures how dark the mouth
 * region is (an open mouth shows its dark inside), and a WebAudio analyser samples the
 * audio level every 5 ms. Per window, the lag that best correlates mouth opening with audio
 * energy is the A/V offset (positive: the picture is late). Run long (LIPSYNC_SECONDS=600)
 * to check for drift.
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { bestLag, keepSpeaking, mouthRegion, readLipSyncSamples, startLipSyncProbe } from '../test/helpers/lipSync.js';
import { createShow, startOnAir } from '../test/helpers/startOnAir.js';

const SECONDS = Number(process.env.LIPSYNC_SECONDS ?? 120);
const WINDOW_S = 20;

const mouth = await mouthRegion();
const onair = await startOnAir();
const showId = await createShow(onair, 'bench:lipsync', { persona: 'ava' });
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${onair.url}/watch/${showId}`);
await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
await startLipSyncProbe(page, mouth);
await keepSpeaking(onair, showId, Date.now() + SECONDS * 1000);

const { mouth: mouthSamples, audio: audioSamples } = await readLipSyncSamples(page);
const start = mouthSamples[0]![0];
const offsets: number[] = [];
console.log(`bench:lipsync — ${SECONDS} s of speech, ${mouthSamples.length} frames, ${audioSamples.length} audio samples; offset > 0: picture late`);
for (let t = start; t + WINDOW_S * 1000 <= mouthSamples.at(-1)![0]; t += WINDOW_S * 1000) {
  const { lagMs, r } = bestLag(mouthSamples, audioSamples, t, t + WINDOW_S * 1000);
  offsets.push(lagMs);
  console.log(`  window ${((t - start) / 1000).toFixed(0).padStart(4)} s: offset ${lagMs.toFixed(0).padStart(4)} ms (r=${r.toFixed(2)})`);
}
console.log(formatSummary('  offset per window', summarize(offsets)));
const drift = offsets.length > 1 ? offsets.at(-1)! - offsets[0]! : 0;
console.log(`  drift first → last window: ${drift.toFixed(0)} ms; target |offset| ≤ 40 ms, no drift`);
await browser.close();
await onair.close();
process.exit(0);
