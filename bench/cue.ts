/**
 * bench:cue — a host cue → the first audio of that line at a viewer. Each of CUE_COUNT
 * scripted cues is posted over HTTP; a werift viewer times the first speech-sized Opus
 * packet, and Chromium (viewer page) times the first rise in decoded audio energy. The
 * presenter is interrupted after each line, and the next cue waits for silence.
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { createShow, hostAuth, startOnAir } from '../test/helpers/startOnAir.js';
import { epochNow, SpeechProbe } from './speechProbe.js';

const CUE_COUNT = Number(process.env.CUE_COUNT ?? 50);
const LINES = [
  'Welcome back everyone.',
  'Here is the new lens.',
  'Let me show you how it works.',
  'Great question, thank you.',
  'Now for the next part.',
];

const onair = await startOnAir();
const showId = await createShow(onair, 'bench:cue');

const probe = await SpeechProbe.join(onair, showId);

const browser = await launchChromium();
const page = await browser.newPage();
await page.goto(`${onair.url}/watch/${showId}`);
await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
// In the page: every 5 ms, note when decoded audio energy last grew (epoch ms).
await page.evaluate(`(() => {
  window.lastAudibleAt = 0;
  let energy = 0;
  setInterval(async () => {
    const stats = await window.onair.client.pc.getStats();
    stats.forEach((s) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'audio') return;
      if (s.totalAudioEnergy - energy > 1e-6) window.lastAudibleAt = performance.timeOrigin + performance.now();
      energy = s.totalAudioEnergy;
    });
  }, 5);
})()`);

const toSpeaking: number[] = [];
const toRtp: number[] = [];
const toAudible: number[] = [];
const ttsDone: number[] = [];
for (let i = 0; i < CUE_COUNT; i++) {
  await waitForSilence();
  const sentAt = epochNow();
  const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, {
    method: 'POST',
    headers: { ...hostAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ text: LINES[i % LINES.length] }),
  });
  const { id } = (await response.json()) as { id: string };
  const rtpAt = await until(() => (probe.lastSpeechAt > sentAt ? probe.lastSpeechAt : 0), 3_000);
  const audibleAt = await until(async () => {
    const at = (await page.evaluate('window.lastAudibleAt')) as number;
    return at > sentAt ? at : 0;
  }, 3_000);
  const cue = onair.shows.live(showId)!.cues!.get(id)!;
  toRtp.push(rtpAt - sentAt);
  toAudible.push(audibleAt - sentAt);
  toSpeaking.push(cue.timings.speakingMs ?? NaN);
  ttsDone.push(cue.timings.ttsDoneMs ?? NaN);
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
}

console.log(`bench:cue — ${CUE_COUNT} cues, 360p30 H264 + Opus, libx264, on ${onair.sfu.stats().shards.length} egress shards`);
console.log(formatSummary('  cue → TTS done (server)', summarize(ttsDone)));
console.log(formatSummary('  cue → on air (next frame, server)', summarize(toSpeaking)));
console.log(formatSummary('  cue → first speech RTP at a werift viewer', summarize(toRtp)));
console.log(formatSummary('  cue → audible in Chromium (getStats energy, 5 ms poll)', summarize(toAudible)));
console.log('  targets: audible p50 ≤ 120 ms, p95 ≤ 200 ms; published comparisons: Tavus ~600 ms, Pipecat 500–800 ms');
await browser.close();
await probe.close();
await onair.close();
process.exit(0);

async function waitForSilence(): Promise<void> {
  await until(() => (epochNow() - probe.lastSpeechAt > 300 ? 1 : 0), 5_000);
}

async function until(read: () => number | Promise<number>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) return NaN;
    await new Promise((r) => setTimeout(r, 2));
  }
}
