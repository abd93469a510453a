import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { launchChromium } from '../helpers/chromium.js';
import { hlsPlayback, watchOverHls } from '../helpers/hlsViewer.js';
import { wordTimedCtaOffsetMs } from '../helpers/wordTimedCta.js';
import { waitForPage } from '../helpers/pageStats.js';
import { createShow, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;
let showId: string;

before(async () => {
  onair = await startOnAir({ HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0' });
  showId = await createShow(onair, 'hls e2e');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

test('with ?transport=hls the viewer page plays the show’s video and audio with hls.js in low-latency mode', async () => {
  const page = await watchOverHls(browser, onair, showId);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const before = await hlsPlayback(page);
  await page.waitForTimeout(2_000);
  const later = await hlsPlayback(page);
  console.log(`hls viewer: ${JSON.stringify(later)}`);
  assert.ok(later.currentTime - before.currentTime > 1.5, `the playhead moves: ${before.currentTime} → ${later.currentTime}`);
  assert.ok(later.framesDecoded - before.framesDecoded >= 45, `frames decoded: ${before.framesDecoded} → ${later.framesDecoded}`);
  assert.ok(later.framesDropped <= later.framesDecoded / 10, `${later.framesDropped} frames dropped`);
  assert.ok(later.audioBytesDecoded > before.audioBytesDecoded, 'audio decodes');
  assert.ok(later.latencyS !== null && later.latencyS < 2.5, `${later.latencyS} s behind the live edge`);
  assert.equal(await page.evaluate('window.onair.client.hls.config.lowLatencyMode'), true);
  assert.ok(await page.evaluate('window.onair.socket?.connected'), 'the page joined the show’s socket with an anonymous viewer token');
  assert.ok(await page.evaluate('window.onair.clock.now() !== null'), 'the stream clock follows the HLS playhead');
  const picture = (await page.evaluate(`(() => {
    const video = document.querySelector('video');
    const ctx = new OffscreenCanvas(video.videoWidth, video.videoHeight).getContext('2d');
    ctx.drawImage(video, 0, 0);
    const data = ctx.getImageData(0, 0, video.videoWidth, video.videoHeight).data;
    const lumas = new Set();
    for (let i = 0; i < data.length; i += 4 * 97) lumas.add(Math.round((data[i] + data[i + 1] + data[i + 2]) / 12));
    return { width: video.videoWidth, distinct: lumas.size };
  })()`)) as { width: number; distinct: number };
  assert.equal(picture.width, 640);
  assert.ok(picture.distinct > 10, `the picture is not blank (${picture.distinct} luma levels)`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a CTA timed to a spoken word appears over HLS within 150 ms of the viewer hearing it', async () => {
  const page = await watchOverHls(browser, onair, showId);
  const offsetMs = await wordTimedCtaOffsetMs(page, onair, showId);
  console.log(`word-timed CTA over HLS: shown ${offsetMs.toFixed(1)} ms after the word was heard`);
  assert.ok(Math.abs(offsetMs) <= 150, `CTA ${offsetMs.toFixed(1)} ms from the word`);
  await page.close();
});

test('a viewer whose WebRTC cannot connect falls back to HLS', async () => {
  const page = await browser.newPage();
  // WHEP offers never reach the server: as if the network blocked WebRTC signalling.
  await page.route(/\/whep\//, (route) => route.abort('connectionrefused'));
  await page.goto(`${onair.url}/watch/${showId}`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
  assert.equal(await page.evaluate('window.onair.client.hls !== undefined'), true, 'the page plays over HLS');
  await waitForPage(() => hlsPlayback(page), (p) => p.framesDecoded > 10, 10_000, 'frames after the fallback');
  await page.close();
});

test('playback and the stream clock go on across an encoder crash (a discontinuity with a new init segment)', async () => {
  const page = await watchOverHls(browser, onair, showId);
  const show = onair.shows.live(showId)!;
  const before = await hlsPlayback(page);
  show.encoder.kill('SIGKILL');
  await waitForPage(() => hlsPlayback(page), (p) => p.framesDecoded > before.framesDecoded + 90, 10_000, 'frames after the restart');
  const behindMs = show.lane.streamTimeMs - ((await page.evaluate('window.onair.clock.now()')) as number);
  assert.ok(behindMs > 0 && behindMs < 2_500, `the page hears stream time ${behindMs.toFixed(0)} ms behind the lane`);
  assert.equal(await page.evaluate('document.getElementById("state").dataset.state'), 'connected');
  await page.close();
});
