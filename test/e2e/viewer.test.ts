import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { launchChromium } from '../helpers/chromium.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { createShow, hostAuth, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;
let showId: string;

before(async () => {
  onair = await startOnAir();
  showId = await createShow(onair, 'Chromium e2e', { testCard: true });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

test('the viewer page plays the show: frames decoded, audio energy, a non-blank picture', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  const openedAt = Date.now();
  await page.goto(`${onair.url}/watch/${showId}`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  const connectedAt = Date.now();
  await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 0, 5_000, 'a first decoded frame');
  const firstFrameMs = Date.now() - connectedAt;
  console.log(`viewer: connected ${connectedAt - openedAt} ms after opening, first frame ${firstFrameMs} ms after connecting`);
  assert.ok(firstFrameMs <= 1_000, `first frame ${firstFrameMs} ms after connecting`);

  const stats = await waitForPage(
    () => inboundStats(page),
    (s) => s.framesDecoded > 30 && s.totalAudioEnergy > 0,
    10_000,
    'video frames and audio energy',
  );
  assert.ok(stats.totalAudioEnergy > 0);
  assert.equal(await page.locator('#unmute').isHidden(), true, 'autoplay with sound allowed in this browser');

  const png = await page.locator('video').screenshot();
  assert.ok(distinctColours(png) > 1_000 || png.length > 20_000, 'the screenshot is not blank');
  const picture = await page.evaluate(() => {
    const video = document.querySelector('video')!;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(video, 0, 0);
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < data.length; i += 4 * 97) {
      const luma = (data[i]! + data[i + 1]! + data[i + 2]!) / 3;
      sum += luma;
      sumSquares += luma * luma;
    }
    const n = Math.ceil(data.length / (4 * 97));
    return { width: video.videoWidth, height: video.videoHeight, stddev: Math.sqrt(sumSquares / n - (sum / n) ** 2) };
  });
  assert.deepEqual([picture.width, picture.height], [640, 360]);
  assert.ok(picture.stddev > 20, `the decoded picture has content (luma stddev ${picture.stddev.toFixed(1)})`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the viewer page reconnects by itself when its session drops', async () => {
  const page = await browser.newPage();
  await page.goto(`${onair.url}/watch/${showId}`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  const firstSession = await page.evaluate(() => (window as unknown as { onair: { client: { location: string } } }).onair.client.location);
  // The server ends the session, as an SFU restart or a kick would.
  const kicked = await fetch(new URL(firstSession, onair.url), { method: 'DELETE', headers: hostAuth });
  assert.equal(kicked.status, 204);
  await page.waitForSelector('#state[data-state="reconnecting"]', { timeout: 20_000 });
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
  const secondSession = await page.evaluate(() => (window as unknown as { onair: { client: { location: string } } }).onair.client.location);
  assert.notEqual(secondSession, firstSession);
  await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 10, 5_000, 'frames on the new session');
  await page.close();
});

test('an ended show tells the viewer so instead of retrying forever', async () => {
  const page = await browser.newPage();
  await page.goto(`${onair.url}/watch/${showId}`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  await fetch(`${onair.url}/api/shows/${showId}`, { method: 'DELETE', headers: hostAuth });
  await page.waitForSelector('#state[data-state="ended"]', { timeout: 30_000 });
  await page.close();
});

function distinctColours(png: Buffer): number {
  // Cheap proxy on the compressed bytes: a blank PNG compresses to a few hundred bytes.
  return new Set(png.subarray(0, 4096)).size * 10;
}
