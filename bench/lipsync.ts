/**
 * bench:lipsync — lip sync as a viewer sees and hears it. Chromium plays the show; for
 * every presented frame (requestVideoFrameCallback) the page measures how dark the mouth
 * region is (an open mouth shows its dark inside), and a WebAudio analyser samples the
 * audio level every 5 ms. Per window, the lag that best correlates mouth opening with audio
 * energy is the A/V offset (positive: the picture is late). Run long (LIPSYNC_SECONDS=600)
 * to check for drift.
 */
import { getPersona } from '../pipeline/persona/index.js';
import { Compositor, REST_POSE, RigAtlas } from '../renderer/rig/index.js';
import { formatSummary, summarize } from '../lib/percentiles.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { createShow, hostAuth, startOnAir } from '../test/helpers/startOnAir.js';

const SECONDS = Number(process.env.LIPSYNC_SECONDS ?? 120);
const WINDOW_S = 20;
// Open vowels between closed bilabials: the mouth and the audio both pulse once per syllable.
const LINES = ['Pa, ma, pa, ma, pa.', 'Mama, papa, mama.', 'Bam! Pam! Bob!', 'Ma. Pa. Ba. Ma.'];

const mouth = await mouthRegion();
const onair = await startOnAir();
const showId = await createShow(onair, 'bench:lipsync', { persona: 'ava' });
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${onair.url}/watch/${showId}`);
await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
await page.evaluate(`(() => {
  const [x, y, w, h] = ${JSON.stringify([mouth.x, mouth.y, mouth.width, mouth.height])};
  const video = document.querySelector('video');
  const ctx = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
  window.mouthSamples = [];
  window.audioSamples = [];
  const onFrame = (now, meta) => {
    ctx.drawImage(video, x, y, w, h, 0, 0, w, h);
    const data = ctx.getImageData(0, 0, w, h).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 180) dark++;
    window.mouthSamples.push([performance.timeOrigin + meta.expectedDisplayTime, dark / (w * h)]);
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  const audio = new AudioContext();
  const analyser = audio.createAnalyser();
  analyser.fftSize = 256;
  audio.createMediaStreamSource(video.srcObject).connect(analyser);
  const buffer = new Float32Array(analyser.fftSize);
  setInterval(() => {
    analyser.getFloatTimeDomainData(buffer);
    let sum = 0;
    for (const v of buffer) sum += v * v;
    window.audioSamples.push([performance.timeOrigin + performance.now() - (analyser.fftSize / audio.sampleRate) * 500, Math.sqrt(sum / buffer.length)]);
  }, 5);
})()`);

const endAt = Date.now() + SECONDS * 1000;
for (let i = 0; Date.now() < endAt; i++) {
  const { id } = (await (await fetch(`${onair.url}/api/shows/${showId}/cues`, {
    method: 'POST',
    headers: { ...hostAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ text: LINES[i % LINES.length] }),
  })).json()) as { id: string };
  while (['queued', 'speaking'].includes(onair.shows.live(showId)!.cues!.get(id)!.state)) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
}

const mouthSamples = (await page.evaluate('window.mouthSamples')) as Array<[number, number]>;
const audioSamples = (await page.evaluate('window.audioSamples')) as Array<[number, number]>;
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

/** Cross-correlation of mouth darkness and audio level on a 5 ms grid, lags −300..300 ms. */
function bestLag(video: Array<[number, number]>, audio: Array<[number, number]>, from: number, to: number) {
  const step = 5;
  const grid = (samples: Array<[number, number]>) => {
    const out: number[] = [];
    let k = 0;
    for (let t = from - 400; t < to + 400; t += step) {
      while (k + 1 < samples.length && samples[k + 1]![0] <= t) k++;
      out.push(samples[k]![1]);
    }
    return out;
  };
  const v = normalize(grid(video));
  const a = normalize(grid(audio));
  const margin = 400 / step;
  let best = { lagMs: 0, r: -Infinity };
  for (let lag = -300 / step; lag <= 300 / step; lag++) {
    let sum = 0;
    let n = 0;
    for (let i = margin; i < v.length - margin; i++) {
      sum += v[i + lag]! * a[i]!;
      n++;
    }
    if (sum / n > best.r) best = { lagMs: lag * step, r: sum / n };
  }
  return best;
}

function normalize(xs: number[]): number[] {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) || 1;
  return xs.map((x) => (x - mean) / sd);
}

/** The frame area where the mouth changes between closed and wide open, padded for head sway. */
async function mouthRegion() {
  const compositor = new Compositor(await RigAtlas.create(getPersona('ava'), { width: 640, height: 360 }));
  const closed = compositor.renderFrame({ ...REST_POSE, viseme: 'sil', mouthOpen: 0 });
  const open = compositor.renderFrame({ ...REST_POSE, viseme: 'AA', mouthOpen: 1 });
  let [x0, y0, x1, y1] = [640, 360, 0, 0];
  for (let i = 0; i < closed.length; i += 4) {
    if (Math.abs(closed[i]! - open[i]!) + Math.abs(closed[i + 1]! - open[i + 1]!) > 60) {
      const p = i / 4;
      [x0, y0, x1, y1] = [Math.min(x0, p % 640), Math.min(y0, Math.floor(p / 640)), Math.max(x1, p % 640), Math.max(y1, Math.floor(p / 640))];
    }
  }
  const pad = 6;
  return { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad };
}
