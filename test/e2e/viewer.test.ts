import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { LOWER_THIRD_BOUNDS, REFERENCE_HEIGHT, scaleRect } from '../../renderer/rig/index.js';
import { localizedText } from '../../server/overlays/templateLanguages.js';
import type { OnAir } from '../../server/OnAir.js';
import { axeViolations } from '../helpers/axe.js';
import { waitUntil } from '../helpers/batch.js';
import { launchChromium } from '../helpers/chromium.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { createShow, hostAuth, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;
let showId: string;
/** A presenter show: a face and a name strap for the overlays to keep out of. */
let presenterShow: string;

before(async () => {
  // No holdout and no exploration: every viewer's first decision is the ranker's choice.
  onair = await startOnAir({ HOLDOUT_PERCENT: '0', EXPLORE_PERCENT: '0' });
  showId = await createShow(onair, 'Chromium e2e', { testCard: true });
  presenterShow = await createShow(onair, 'pages e2e');
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

  // A new viewer of a simulcast show starts on the low layer (320x180) for 2 s, then gets the top one where its bandwidth
  // estimate allows: 1.4-1.8 s after connecting on a quiet machine; on a loaded one the estimate may keep it low for longer.
  const height = await waitForPage(() => page.evaluate(() => document.querySelector('video')!.videoHeight), (h) => h === 360, 10_000, 'the top layer').catch(() => 180);
  console.log(`viewer: ${height === 360 ? `top layer ${Date.now() - connectedAt} ms after connecting` : 'still on the low layer 10 s on'}`);
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
  assert.ok([[640, 360], [320, 180]].some(([w, h]) => picture.width === w && picture.height === h), `a layer of the show: ${picture.width}x${picture.height}`);
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

type Box = { x: number; y: number; width: number; height: number };
const api = async <T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> => {
  const { json, ...rest } = init;
  const response = await fetch(`${onair.url}${path}`, { ...rest, headers: { ...hostAuth, ...(json !== undefined && { 'content-type': 'application/json' }) }, ...(json !== undefined && { body: JSON.stringify(json) }) });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return (response.status === 204 ? null : await response.json()) as T;
};

/** Opens a poll on the presenter show, closing any a failed test left open first. */
async function launchPoll(question: string, labels: string[]): Promise<{ id: string }> {
  const { polls } = await api<{ polls: Array<{ id: string; state: string }> }>(`/api/shows/${presenterShow}/polls`);
  for (const open of polls.filter((p) => p.state === 'open')) await api(`/api/shows/${presenterShow}/polls/${open.id}/close`, { method: 'POST' });
  return api<{ id: string }>(`/api/shows/${presenterShow}/polls`, { method: 'POST', json: { question, options: labels.map((label) => ({ label })), durationMs: 60_000, announce: false } });
}

/** A viewer page of the presenter show that has joined with consent and plays; `bypassCSP` lets axe in. */
async function watching(query: string, options: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  // CTA links point at real shops; a test must not leave loopback.
  await context.route(/^https:/, (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  await page.goto(`${onair.url}/watch/${presenterShow}${query}`);
  await page.check('#consent');
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  await waitForPage(() => inboundStats(page), (s) => s.framesDecoded > 10, 10_000, 'frames at the viewer');
  return page;
}

test('a Spanish viewer gets the page in Spanish and a first ad in Spanish', async () => {
  const page = await watching('?lang=es');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.title(), 'OnAir — en directo');
  assert.equal(await page.textContent('#chat button[type="submit"]'), 'Enviar');
  assert.equal(await page.getAttribute('#chat-text', 'placeholder'), 'Pregunta algo al presentador');
  assert.equal(await page.textContent('#state'), 'en directo');

  // The first ad is the join's: already chosen for, and written in, the viewer's language.
  const card = page.locator('#overlays .overlay[data-slot="personal"]').first();
  await card.waitFor({ timeout: 10_000 });
  const templateId = (await card.getAttribute('data-template'))!;
  const decisionId = await card.getAttribute('data-decision-id');
  const template = onair.audience.catalog.get(templateId)!;
  const spanish = localizedText(template, 'es');
  assert.equal(spanish.language, 'es', `${templateId} has Spanish text`);
  assert.equal(await card.getAttribute('lang'), 'es');
  assert.equal(await card.locator('strong').textContent(), spanish.headline);
  if (spanish.action) assert.equal(await card.locator('a.action').textContent(), spanish.action);
  const viewerId = (await page.evaluate('window.onair.client.token.split(".")[1]')) as string;
  // Audit rows are flushed in batches.
  await waitUntil(async () => {
    const { rows } = await api<{ rows: Array<{ kind: string; trigger?: string; templateId?: string; id: string }> }>(`/api/shows/${presenterShow}/audit?viewer=${viewerId}`);
    return rows.some((r) => r.kind === 'decision' && r.trigger === 'join' && r.templateId === templateId && r.id === decisionId);
  }, 5_000, 'the card on screen is the join decision');

  // Poll cards speak Spanish too, and a closed one leaves after showing its result.
  const poll = await launchPoll('¿Qué probamos?', ['Cámara', 'Auriculares']);
  const pollCard = page.locator(`#overlays .poll-card[data-poll-id="${poll.id}"]`);
  await pollCard.locator('.poll-status', { hasText: 'Vota ahora' }).waitFor({ timeout: 5_000 });
  await pollCard.locator('button[data-option="1"]').click();
  await pollCard.locator('.poll-status', { hasText: 'Gracias por votar' }).waitFor({ timeout: 5_000 });
  await api(`/api/shows/${presenterShow}/polls/${poll.id}/close`, { method: 'POST' });
  await pollCard.locator('.poll-status', { hasText: 'Ganadora: Auriculares' }).waitFor({ timeout: 5_000 });
  const closedAt = Date.now();
  await pollCard.waitFor({ state: 'detached', timeout: 15_000 });
  const shownMs = Date.now() - closedAt;
  assert.ok(shownMs >= 3_000, `the result stays up long enough to read (${shownMs} ms)`);
  await page.context().close();
});

test('CTAs and the poll card never cover the face or the name strap, at any player size', async () => {
  const page = await watching('');
  await page.locator('#overlays .overlay[data-slot="personal"]').first().waitFor({ timeout: 10_000 });
  const show = await api<{ presenter: { faceSafeArea: Box } }>(`/api/shows/${presenterShow}`);
  // The rig's frame (the show's resolution; overload may encode fewer pixels of the same picture).
  const { width: frameWidth, height: frameHeight } = onair.shows.live(presenterShow)!.encoder.settings;
  const frame = { width: frameWidth, height: frameHeight };
  // The rig's own regions, in frame pixels: independent of what the page computed.
  const face = show.presenter.faceSafeArea;
  const strap = scaleRect(LOWER_THIRD_BOUNDS, frame.height / REFERENCE_HEIGHT);
  const poll = await launchPoll('Which lens next?', ['Wide', 'Tele']);
  await page.locator('#overlays .poll-card').waitFor({ timeout: 5_000 });

  const sizes = [[1280, 900], [960, 700], [800, 600], [640, 480], [480, 400], [360, 640]] as const;
  for (const placement of ['side_card', 'badge', 'lower_third_cta'] as const) {
    await api(`/api/shows/${presenterShow}/overlays/shared`, { method: 'PUT', json: { placement, headline: 'Twenty percent off every lens this week', body: 'Only while the show is live.', action: 'See the lenses', link: 'https://shop.onair.example/lenses' } });
    await page.locator(`#overlays .overlay[data-slot="shared"][data-placement="${placement}"]`).waitFor({ state: 'attached', timeout: 5_000 });
    for (const [width, height] of sizes) {
      await page.setViewportSize({ width, height });
      // The resize observer lays the cards out after the resize; then they are measured.
      await page.waitForTimeout(150);
      // A string: the test's compiled functions would carry helpers the page does not have.
      const measured = (await page.evaluate(`(() => {
        const box = (r) => ({ x: r.left, y: r.top, width: r.width, height: r.height });
        const cards = [...document.querySelectorAll('#overlays .overlay')].filter((c) => !c.hidden && c.offsetWidth > 0);
        return { video: box(document.querySelector('video').getBoundingClientRect()), cards: cards.map((c) => ({ name: c.dataset.slot + '/' + c.dataset.placement, ...box(c.getBoundingClientRect()) })) };
      })()`)) as { video: Box; cards: Array<Box & { name: string }> };
      const scale = Math.min(measured.video.width / frame.width, measured.video.height / frame.height);
      const content = { x: measured.video.x + (measured.video.width - frame.width * scale) / 2, y: measured.video.y + (measured.video.height - frame.height * scale) / 2 };
      const onScreen = (r: Box): Box => ({ x: content.x + r.x * scale, y: content.y + r.y * scale, width: r.width * scale, height: r.height * scale });
      const regions = { face: onScreen(face), 'name strap': onScreen(strap) };
      for (const card of measured.cards) {
        for (const [name, region] of Object.entries(regions)) {
          const overlap = Math.min(card.x + card.width, region.x + region.width) - Math.max(card.x, region.x) > 0.5 && Math.min(card.y + card.height, region.y + region.height) - Math.max(card.y, region.y) > 0.5;
          assert.ok(!overlap, `${width}x${height}: ${card.name} ${JSON.stringify(card)} covers the ${name} ${JSON.stringify(region)}`);
        }
      }
      if (width >= 800) {
        const shown = measured.cards.map((c) => c.name);
        assert.ok(shown.includes(`shared/${placement}`) && shown.includes('shared/poll_card'), `${width}x${height}: the cards have room (${shown.join(', ')})`);
      }
    }
  }
  await api(`/api/shows/${presenterShow}/overlays/shared`, { method: 'DELETE' });
  await api(`/api/shows/${presenterShow}/polls/${poll.id}/close`, { method: 'POST' });
  await page.context().close();
});

test("a host's overlay for everyone shows each viewer its language, or the host's words when it has no translation", async () => {
  // Open before the push (the broadcast), and after it (the join reply).
  const mexican = await watching('?lang=es-MX');
  await api(`/api/shows/${presenterShow}/overlays/shared`, {
    method: 'PUT',
    json: {
      placement: 'side_card',
      headline: 'Twenty percent off every lens',
      action: 'See the lenses',
      link: 'https://shop.onair.example/lenses',
      language: 'en',
      translations: { es: { headline: 'Veinte por ciento en todos los objetivos', action: 'Ver objetivos' } },
    },
  });
  const spanish = await watching('?lang=es');
  const french = await watching('?lang=fr');
  const english = await watching('');
  const pages: Array<[string, Page, string, string, string]> = [
    ['es-MX', mexican, 'Veinte por ciento en todos los objetivos', 'Ver objetivos', 'es'],
    ['es', spanish, 'Veinte por ciento en todos los objetivos', 'Ver objetivos', 'es'],
    ['fr (no translation: the host words)', french, 'Twenty percent off every lens', 'See the lenses', 'en'],
    ['en', english, 'Twenty percent off every lens', 'See the lenses', 'en'],
  ];
  for (const [who, page, headline, action, lang] of pages) {
    const card = page.locator('#overlays .overlay[data-slot="shared"][data-placement="side_card"]');
    await card.waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal(await card.locator('strong').textContent(), headline, who);
    assert.equal(await card.locator('a.action').textContent(), action, who);
    assert.equal(await card.locator('a.action').getAttribute('href'), 'https://shop.onair.example/lenses', `${who}: the host's link`);
    assert.equal(await card.getAttribute('lang'), lang, who);
  }
  await api(`/api/shows/${presenterShow}/overlays/shared`, { method: 'DELETE' });
  for (const [, page] of pages) await page.context().close();
});

test('a CTA hidden on a player too small for it is no impression; it becomes one, once, when a bigger player shows it', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 200, height: 400 } });
  await context.route(/^https:/, (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  await page.goto(`${onair.url}/watch/${presenterShow}`);
  await page.check('#consent');
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  const card = page.locator('#overlays .overlay[data-slot="personal"]').first();
  await card.waitFor({ state: 'attached', timeout: 10_000 });
  const decisionId = (await card.getAttribute('data-decision-id'))!;
  assert.equal(await card.evaluate((c) => (c as HTMLElement).hidden), true, 'the player has no room for the card');
  const viewerId = (await page.evaluate('window.onair.client.token.split(".")[1]')) as string;
  const rows = async () => (await api<{ rows: Array<{ kind: string; id?: string; decisionId?: string; outcome?: string }> }>(`/api/shows/${presenterShow}/audit?viewer=${viewerId}`)).rows;
  const impressions = async () => (await rows()).filter((r) => r.kind === 'outcome' && r.decisionId === decisionId && r.outcome === 'impression').length;
  // The audit is written in batches: once the decision is in, an impression sent with it would be too.
  await waitUntil(async () => (await rows()).some((r) => r.kind === 'decision' && r.id === decisionId), 5_000, 'the decision in the audit');
  await page.waitForTimeout(1_000);
  assert.equal(await impressions(), 0, 'a hidden card is not an impression');

  await page.setViewportSize({ width: 1280, height: 900 });
  await waitUntil(async () => (await impressions()) === 1, 5_000, 'the impression once the card is shown');
  assert.equal(await card.evaluate((c) => (c as HTMLElement).hidden), false);
  // Smaller and bigger again: still one impression.
  await page.setViewportSize({ width: 200, height: 400 });
  await page.waitForTimeout(200);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.waitForTimeout(1_000);
  assert.equal(await impressions(), 1);
  await context.close();
});

test('the viewer page passes axe-core (contrast included) with a poll open and CTAs showing', async () => {
  const poll = await launchPoll('Which gadget next?', ['Camera', 'Headphones']);
  // A CTA for everyone in the catalog's least readable colours: a navy accent under the button.
  const { colours } = onair.audience.catalog.get('launch-tshirt')!;
  await api(`/api/shows/${presenterShow}/overlays/shared`, { method: 'PUT', json: { placement: 'lower_third_cta', headline: 'Limited run: launch-day T-shirts', body: 'Once they are gone, they are gone.', action: 'Grab one', link: 'https://shop.onair.example/launch-tee', colours } });
  for (const query of ['', '?lang=es']) {
    const page = await watching(query, { bypassCSP: true });
    await page.locator('#overlays .overlay[data-slot="shared"] a.action').waitFor({ timeout: 10_000 });
    await page.locator('#overlays .poll-card').waitFor({ timeout: 5_000 });
    await page.waitForSelector('#chat:not([hidden])');
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], `viewer${query}: ${JSON.stringify(violations, null, 1)}`);
    await page.context().close();
  }
  await api(`/api/shows/${presenterShow}/overlays/shared`, { method: 'DELETE' });
  await api(`/api/shows/${presenterShow}/polls/${poll.id}/close`, { method: 'POST' });
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
