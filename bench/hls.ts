/**
 * bench:hls — the LL-HLS output as an hls.js viewer in Chromium gets it:
 *  1. glass to glass: frame produced by the live lane → frame shown (the test card's burned-in
 *     frame index, read as in bench:glass), with hls.js in low-latency mode;
 *  2. word-timed CTAs over HLS: when the CTA shows against when its word is heard, one fresh
 *     viewer page per trial (a viewer gets an offer once);
 *  3. the packager's CPU: the sink's own time per fragment, and per playlist it renders.
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import type { LlHlsSink } from '../pipeline/hls/LlHlsSink.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { watchOverHls } from '../test/helpers/hlsViewer.js';
import { wordTimedCtaOffsetMs } from '../test/helpers/wordTimedCta.js';
import { createShow, startOnAir } from '../test/helpers/startOnAir.js';
import { readShownFrames } from './frameCodeProbe.js';

const SECONDS = Number(process.env.HLS_SECONDS ?? 20);
const CTA_TRIALS = Number(process.env.HLS_CTA_TRIALS ?? 5);
const RESOLUTION = process.env.RESOLUTION ?? '360p';

const onair = await startOnAir({ RESOLUTION, HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0' });
const browser = await launchChromium();

// 1. Glass to glass; the packager's time (3) is counted over the same window.
const cardId = await createShow(onair, 'hls glass', { testCard: true });
const card = onair.shows.live(cardId)!;
const sink = card.session.sink('hls') as LlHlsSink;
const producedAt = new Map<number, number>();
card.lane.on('frame', (frame, epochMs) => producedAt.set(frame.index & 0xffff, epochMs));
const page = await browser.newPage();
await page.goto(`${onair.url}/watch/${cardId}?transport=hls`);
await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
// hls.js starts a part or two off its target latency; let it settle before measuring.
await new Promise((resolve) => setTimeout(resolve, 2_000));
const statsBefore = { ...sink.stats, atMs: performance.now() };
const latencies: number[] = [];
const latencyTimer = setInterval(() => void page.evaluate('window.onair.client.hls.latency').then((s) => latencies.push((s as number) * 1000)), 500);
const shown = await readShownFrames(page, SECONDS, onair.config.resolution);
clearInterval(latencyTimer);
const glass = shown.flatMap(([index, displayedAtMs]) => {
  const produced = producedAt.get(index);
  return produced === undefined ? [] : [displayedAtMs - produced];
});
const fragments = sink.stats.fragments - statsBefore.fragments;
const packMs = sink.stats.packMs - statsBefore.packMs;
const wallMs = performance.now() - statsBefore.atMs;
await page.close();

// 2. Word-timed CTAs.
const presenterId = await createShow(onair, 'hls cta');
const ctaErrors: number[] = [];
for (let trial = 0; trial < CTA_TRIALS; trial++) {
  const viewer = await watchOverHls(browser, onair, presenterId);
  ctaErrors.push(await wordTimedCtaOffsetMs(viewer, onair, presenterId));
  await viewer.close();
}

// 3. A playlist render, as each (blocking) playlist request costs it.
const RENDERS = 1_000;
const renderStartMs = performance.now();
for (let i = 0; i < RENDERS; i++) await sink.mediaPlaylist();
const renderUs = ((performance.now() - renderStartMs) * 1000) / RENDERS;

console.log(`bench:hls ${RESOLUTION} H264, hls.js lowLatencyMode in Chromium`);
console.log(formatSummary(`  glass to glass over LL-HLS (${SECONDS} s, ${shown.length} frames shown)`, summarize(glass)));
console.log(formatSummary('  hls.js latency behind the live edge', summarize(latencies)));
console.log(formatSummary(`  word-timed CTA shown − word heard (${CTA_TRIALS} viewers)`, summarize(ctaErrors)));
console.log(formatSummary('  |CTA error|', summarize(ctaErrors.map(Math.abs))));
console.log(`  packager: ${fragments} fragments, ${((packMs * 1000) / Math.max(1, fragments)).toFixed(1)} µs each = ${((packMs / wallMs) * 100).toFixed(3)}% of a core; a playlist render ${renderUs.toFixed(1)} µs`);
await browser.close();
await onair.close();
process.exit(0);
