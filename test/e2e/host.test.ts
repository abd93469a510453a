import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { launchChromium } from '../helpers/chromium.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { HOST_TOKEN, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;

before(async () => {
  onair = await startOnAir();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

test('the host page goes live, previews the stream and ends the show', async () => {
  const page = await browser.newPage();
  await page.goto(`${onair.url}/host#token=${HOST_TOKEN}`);
  assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
  await page.waitForSelector('#ready[data-ready="true"]', { timeout: 10_000 });
  await page.fill('#show-title', 'Launch <b>day</b>');
  await page.click('#create-show button[type="submit"]');
  const item = page.locator('#shows li').first();
  await item.waitFor({ timeout: 10_000 });
  assert.equal(await item.locator('.title').textContent(), 'Launch <b>day</b>', 'titles are shown as text, never as markup');
  const showId = await item.getAttribute('data-show-id');
  assert.ok(showId && onair.shows.live(showId));

  await waitForPage(() => inboundStats(page, 'window.onairHost.preview.pc'), (s) => s.framesDecoded > 10, 15_000, 'preview frames');
  await item.locator('button.danger').click();
  await page.waitForFunction(() => document.querySelectorAll('#shows li').length === 0, undefined, { timeout: 10_000 });
  assert.equal(onair.shows.live(showId!), undefined);
  await page.close();
});

test('without a valid token the host page shows the error code', async () => {
  const page = await browser.newPage();
  await page.goto(`${onair.url}/host#token=wrong-token-123456789`);
  await page.waitForSelector('#auth-error:not([hidden])', { timeout: 10_000 });
  assert.match((await page.textContent('#auth-error')) ?? '', /AUTH_INVALID/);
  await page.close();
});
