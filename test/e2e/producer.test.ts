import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { axeViolations } from '../helpers/axe.js';
import { launchChromium } from '../helpers/chromium.js';
import { createShow, HOST_TOKEN, PRODUCER_TOKEN, producerAuth, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;

before(async () => {
  onair = await startOnAir({ EMBEDDED_WORKER: 'true', DEMO_SHOW: 'false' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await onair?.close();
});

test('the producer page enqueues a clip, follows it to 100% and previews it', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${onair.url}/producer#token=${PRODUCER_TOKEN}`);
  await page.waitForSelector('#live[data-ready="true"]', { timeout: 10_000 });
  await page.waitForSelector('#clip-persona option[value="lucia"]', { state: 'attached' });
  await page.selectOption('#clip-persona', 'lucia');
  await page.fill('#clip-name', 'saludo');
  await page.fill('#clip-text', 'Hola a todos, bienvenidos a <b>Directo Tech</b>.');
  await page.click('#render');

  const row = page.locator('#jobs li[data-job^="clip-render/"]').first();
  await row.waitFor({ timeout: 10_000 });
  assert.match((await row.locator('.label').textContent()) ?? '', /<b>Directo Tech<\/b>/, 'job text is shown as text');
  await page.waitForSelector('#jobs li[data-job^="clip-render/"][data-state="completed"]', { timeout: 60_000 });
  assert.equal(await row.locator('progress').getAttribute('value'), '100');

  await row.locator('button.preview-button').click();
  await page.waitForFunction(() => {
    const video = document.getElementById('preview') as HTMLVideoElement;
    return video.readyState >= 2 && video.duration > 1 && video.videoWidth === 640;
  }, undefined, { timeout: 15_000 });
  assert.ok(await page.locator('#assets li[data-asset]').count() >= 1, 'the clip is listed with the assets');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the queue board needs a producer session, and the page opens one', async () => {
  assert.equal((await fetch(`${onair.url}/admin/queues`)).status, 401);
  const page = await browser.newPage();
  await page.goto(`${onair.url}/producer#token=${PRODUCER_TOKEN}`);
  await page.waitForSelector('#live[data-ready="true"]', { timeout: 10_000 });
  const [board] = await Promise.all([page.context().waitForEvent('page'), page.click('#open-board')]);
  await board.waitForLoadState();
  const response = await board.reload();
  assert.equal(response?.status(), 200);
  const queues = await board.request.get(`${onair.url}/admin/queues/api/queues`);
  assert.equal(queues.status(), 200, 'the board session cookie authorizes its API');
  const names = ((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((q) => q.name).sort();
  assert.deepEqual(names, ['clip-render', 'rig-prewarm', 'show-prep', 'voice-cache']);
  await page.close();
});

test("a show's preparation flow shows its readiness on the host page", async () => {
  const showId = await createShow(onair, 'prepared show');
  const response = await fetch(`${onair.url}/api/jobs/show-prep`, {
    method: 'POST',
    headers: { ...producerAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ showId, personas: ['marcus'], phrases: [{ persona: 'marcus', text: 'Good evening.' }] }),
  });
  assert.equal(response.status, 202);
  const page = await browser.newPage();
  await page.goto(`${onair.url}/host#token=${HOST_TOKEN}`);
  const pill = page.locator(`#shows li[data-show-id="${showId}"] .prep[data-ready="true"]`);
  await pill.waitFor({ timeout: 30_000 });
  assert.match((await pill.textContent()) ?? '', /2\/2 ready/);
  await page.close();
});

test('the producer page passes axe-core (contrast included) with a show live and a job listed', async () => {
  const showId = await createShow(onair, 'accessible producer');
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${onair.url}/producer#token=${PRODUCER_TOKEN}`);
  await page.waitForSelector('#live[data-ready="true"]', { timeout: 10_000 });
  await page.waitForSelector(`#prep-show option[value="${showId}"]`, { state: 'attached', timeout: 10_000 });
  await page.fill('#voice-phrases', 'Good evening.');
  await page.click('#voice-form button[type="submit"]');
  await page.locator('#jobs li').first().waitFor({ timeout: 10_000 });
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
  await context.close();
});
