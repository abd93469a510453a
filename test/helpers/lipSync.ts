/**
 * Lip sync as a viewer sees and hears it, shared by bench/lipsync.ts and
 * test/e2e/lipsync.test.ts. A probe in the viewer page measures, for every presented frame,
 * how dark the mouth region is (an open mouth shows its dark inside), and samples the audio
 * level every 5 ms; the lag that best correlates the two is the A/V offset.
 */
import type { Page } from 'playwright-core';
import { getPersona } from '../../pipeline/persona/index.js';
import { Compositor, REST_POSE, RigAtlas } from '../../renderer/rig/index.js';
import type { OnAir } from '../../server/OnAir.js';
import { hostAuth } from './startOnAir.js';

/** A rectangle in the show's frame, in pixels. */
export interface MouthRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** `[wall-clock ms (performance.timeOrigin based), value]`, in time order. */
export type LevelSample = [number, number];

/** The best lag between mouth and audio and its correlation coefficient. */
export interface LagFit {
  /** Positive: the picture is late. */
  lagMs: number;
  r: number;
}

/** Open vowels between closed bilabials: the mouth and the audio both pulse once per syllable. */
export const LIP_SYNC_LINES: readonly string[] = ['Pa, ma, pa, ma, pa.', 'Mama, papa, mama.', 'Bam! Pam! Bob!', 'Ma. Pa. Ba. Ma.'];

/** The frame size the mouth region is measured in (the rig's, and the show's undegraded picture). */
const FRAME = { width: 640, height: 360 };

/** The frame area where the mouth changes between closed and wide open, padded for head sway. */
export async function mouthRegion(personaId = 'ava'): Promise<MouthRegion> {
  const compositor = new Compositor(await RigAtlas.create(getPersona(personaId), FRAME));
  const closed = compositor.renderFrame({ ...REST_POSE, viseme: 'sil', mouthOpen: 0 });
  const open = compositor.renderFrame({ ...REST_POSE, viseme: 'AA', mouthOpen: 1 });
  const { width, height } = FRAME;
  let [x0, y0, x1, y1] = [width, height, 0, 0];
  for (let i = 0; i < closed.length; i += 4) {
    if (Math.abs(closed[i]! - open[i]!) + Math.abs(closed[i + 1]! - open[i + 1]!) > 60) {
      const p = i / 4;
      [x0, y0, x1, y1] = [Math.min(x0, p % width), Math.min(y0, Math.floor(p / width)), Math.max(x1, p % width), Math.max(y1, Math.floor(p / width))];
    }
  }
  const pad = 6;
  return { x: x0 - pad, y: y0 - pad, width: x1 - x0 + 2 * pad, height: y1 - y0 + 2 * pad };
}

/**
 * Starts the probe in a connected viewer page: on every presented frame
 * (requestVideoFrameCallback) the fraction of dark pixels in `region` is pushed to
 * `window.mouthSamples` at the frame's expected display time, and every 5 ms the RMS level
 * of a WebAudio analyser on the same stream is pushed to `window.audioSamples`, dated at the
 * middle of the analyser's window. The region is scaled to the decoded picture's size, so a
 * picture the server has degraded to a lower resolution is measured at the same place.
 * (A string, not a function: tsx's name helpers do not exist in the page.)
 */
export async function startLipSyncProbe(page: Page, region: MouthRegion): Promise<void> {
  await page.evaluate(`(() => {
  const [rx, ry, rw, rh] = ${JSON.stringify([region.x, region.y, region.width, region.height])};
  const frameWidth = ${FRAME.width};
  const video = document.querySelector('video');
  const ctx = new OffscreenCanvas(rw, rh).getContext('2d', { willReadFrequently: true });
  window.mouthSamples = [];
  window.audioSamples = [];
  const onFrame = (now, meta) => {
    const s = (video.videoWidth || frameWidth) / frameWidth;
    ctx.drawImage(video, rx * s, ry * s, rw * s, rh * s, 0, 0, rw, rh);
    const data = ctx.getImageData(0, 0, rw, rh).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] < 180) dark++;
    window.mouthSamples.push([performance.timeOrigin + meta.expectedDisplayTime, dark / (rw * rh)]);
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
}

/** What the probe has collected so far: mouth darkness per presented frame, audio level every 5 ms. */
export async function readLipSyncSamples(page: Page): Promise<{ mouth: LevelSample[]; audio: LevelSample[] }> {
  const mouth = (await page.evaluate('window.mouthSamples')) as LevelSample[];
  const audio = (await page.evaluate('window.audioSamples')) as LevelSample[];
  return { mouth, audio };
}

/**
 * Keeps the presenter speaking until `untilMs` (a `Date.now()` time): posts `lines` as cues
 * one after another, waits for each to leave `queued`/`speaking`, then pauses 300 ms. The
 * cue on air at `untilMs` is spoken to its end. With `cueTimeoutMs`, a cue that is not done
 * by then throws. Resolves to the number of cues spoken.
 */
export async function keepSpeaking(
  onair: OnAir,
  showId: string,
  untilMs: number,
  options: { lines?: readonly string[]; cueTimeoutMs?: number } = {},
): Promise<number> {
  const { lines = LIP_SYNC_LINES, cueTimeoutMs = Infinity } = options;
  let i = 0;
  for (; Date.now() < untilMs; i++) {
    const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, {
      method: 'POST',
      headers: { ...hostAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: lines[i % lines.length] }),
    });
    if (!response.ok) throw new Error(`post cue: ${response.status} ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    const deadline = Date.now() + cueTimeoutMs;
    while (['queued', 'speaking'].includes(onair.shows.live(showId)!.cues!.get(id)!.state)) {
      if (Date.now() > deadline) throw new Error(`cue ${id} still ${onair.shows.live(showId)!.cues!.get(id)!.state} after ${cueTimeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return i;
}

/**
 * Cross-correlation of mouth darkness and audio level over `[from, to)` on a 5 ms grid,
 * lags −300..300 ms (a 400 ms margin either side keeps every lag inside the grid). Returns
 * the lag with the highest correlation; positive: the picture is late.
 */
export function bestLag(video: LevelSample[], audio: LevelSample[], from: number, to: number): LagFit {
  const step = 5;
  const grid = (samples: LevelSample[]) => {
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

/** Zero mean, unit standard deviation (a constant series becomes all zeros). */
export function normalize(xs: number[]): number[] {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) || 1;
  return xs.map((x) => (x - mean) / sd);
}
