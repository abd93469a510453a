import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { MediasoupSfu } from '../../server/sfu/mediasoup/MediasoupSfu.js';
import { launchChromium } from '../helpers/chromium.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { createShow, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;

before(async () => {
  onair = await startOnAir({ SFU_BACKEND: 'mediasoup', SFU_WORKERS: '2' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

const sessionOf = (page: import('playwright-core').Page) =>
  page.evaluate(() => (window as unknown as { onair: { client: { location: string | null } } }).onair.client.location);

test('SIGKILL of the worker holding a show: the viewer page plays again within 3 s', async () => {
  const sfu = onair.sfu as MediasoupSfu;
  const showId = await createShow(onair, 'worker kill e2e', { testCard: true });
  const page = await browser.newPage();
  await page.goto(`${onair.url}/watch/${showId}`);
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 10, 5_000, 'frames before the kill');
  const firstSession = await sessionOf(page);
  const index = sfu.originWorkerOf(showId)!;
  const killedAt = Date.now();
  process.kill(sfu.workerPids()[index]!, 'SIGKILL');
  // A new session (the server told the page its session was gone), then frames on it.
  await waitForPage(() => sessionOf(page), (location) => location !== null && location !== firstSession, 3_000, 'a new session');
  await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 0, 3_000, 'frames on the new session');
  const recoveredMs = Date.now() - killedAt;
  console.log(`worker kill: the page played again ${recoveredMs} ms after the SIGKILL`);
  assert.ok(recoveredMs <= 3_000, `the page played again ${recoveredMs} ms after the kill`);
  await page.close();
});
