import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { axeViolations, brokenWords } from '../helpers/axe.js';
import { waitUntil } from '../helpers/batch.js';
import { launchChromium } from '../helpers/chromium.js';
import { inboundStats, waitForPage } from '../helpers/pageStats.js';
import { createShow, HOST_TOKEN, hostAuth, RANKED_CHOICE_ENV, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let browser: Browser;

/**
 * A catalog where every viewer is always eligible again (no gap, a high cap), one CTA per
 * language: each viewer's own CTA is then the one in its language.
 */
function momentCatalog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'onair-overlays-'));
  const cta = (id: string, language: string, headline: string, placement: string) => ({
    id, placement, headline, action: language === 'es' ? 'Ver' : 'See', link: `https://shop.onair.example/${id}`,
    colours: { background: '#1d3557', text: '#f1faee', accent: '#e9c46a' }, topics: ['gadgets'], language,
    requiresConsent: false, frequencyCap: { maxPerSession: 50, minGapMs: 0 },
  });
  writeFileSync(path.join(dir, 'templates.json'), JSON.stringify([cta('lens-en', 'en', 'New lenses, twenty percent off', 'side_card'), cta('lente-es', 'es', 'Lentes nuevas con un veinte por ciento', 'lower_third_cta')]));
  return dir;
}

before(async () => {
  onair = await startOnAir({ ...RANKED_CHOICE_ENV, OVERLAY_DIR: momentCatalog() });
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

type AuditRows = { rows: Array<{ kind: string; id?: string; trigger?: string; templateId?: string }> };

/** A viewer page that has joined (with consent) and plays. */
async function viewer(showId: string, query: string): Promise<{ page: Page; viewerId: string }> {
  const context = await browser.newContext({ locale: 'en-US' });
  await context.route(/^https:/, (route) => route.fulfill({ status: 204 }));
  const page = await context.newPage();
  await page.goto(`${onair.url}/watch/${showId}${query}`);
  await page.check('#consent');
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 15_000 });
  await page.waitForFunction(() => (window as unknown as { onair: { socket?: { connected: boolean } } }).onair.socket?.connected, undefined, { timeout: 10_000 });
  const viewerId = (await page.evaluate('window.onair.client.token.split(".")[1]')) as string;
  // Joined: its first decision (a CTA or none) is in the audit.
  await waitUntil(async () => (await auditOf(showId, viewerId)).some((r) => r.kind === 'decision' && r.trigger === 'join'), 10_000, 'the join decision');
  return { page, viewerId };
}

const auditOf = async (showId: string, viewerId: string) => ((await (await fetch(`${onair.url}/api/shows/${showId}/audit?viewer=${viewerId}`, { headers: hostAuth })).json()) as AuditRows).rows;

test('the host sets the topic, marks an offer word and fires a CTA moment that reaches each viewer with its own CTA', async () => {
  const showId = await createShow(onair, 'host controls');
  const host = await browser.newPage();
  await host.goto(`${onair.url}/host#token=${HOST_TOKEN}`);
  await host.locator(`#shows li[data-show-id="${showId}"] button`, { hasText: 'Preview' }).click();
  await host.evaluate('window.onairHost.preview?.stop()');
  const english = await viewer(showId, '');
  const spanish = await viewer(showId, '?lang=es');

  // Topic.
  await host.fill('#show-topic', 'gadgets');
  await host.click('#topic-set');
  await host.locator('#topic-current[data-topic="gadgets"]').waitFor({ timeout: 5_000 });
  const figures = (await (await fetch(`${onair.url}/api/shows/${showId}/audience`, { headers: hostAuth })).json()) as { topic?: string };
  assert.equal(figures.topic, 'gadgets');

  // CTA moment: each viewer's engine decides now, each viewer gets its own CTA.
  const before = await Promise.all([english, spanish].map(async ({ page }) => (await page.locator('#overlays .overlay[data-slot="personal"]').first().getAttribute('data-decision-id', { timeout: 1_000 }).catch(() => null)) ?? 'none'));
  await host.click('#cta-moment');
  await host.locator('#cta-moment-result', { hasText: '2 of 2 viewers' }).waitFor({ timeout: 5_000 });
  for (const [{ page, viewerId }, template, previous] of [[english, 'lens-en', before[0]], [spanish, 'lente-es', before[1]]] as const) {
    const card = page.locator(`#overlays .overlay[data-slot="personal"][data-template="${template}"]:not([data-decision-id="${previous}"])`);
    await card.waitFor({ timeout: 5_000 });
    const decisionId = await card.getAttribute('data-decision-id');
    await waitUntil(async () => (await auditOf(showId, viewerId)).some((r) => r.kind === 'decision' && r.trigger === 'cta_moment' && r.id === decisionId && r.templateId === template), 5_000, `the CTA moment of ${template} in the audit`);
  }

  // Offer word: the line goes out with it; the viewers the rules allow see the CTA on the word.
  await host.fill('#cue-text', 'Our new lens is here today.');
  await host.fill('#cue-offer-word', 'lens');
  await host.selectOption('#cue-offer-overlay', 'lens-en');
  await host.click('#say');
  await host.locator('#cues li', { hasText: 'Our new lens is here today.' }).waitFor({ timeout: 5_000 });
  await waitUntil(async () => (await auditOf(showId, english.viewerId)).some((r) => r.kind === 'decision' && r.trigger === 'offer_word' && r.templateId === 'lens-en'), 30_000, 'the offer word decision');
  // The Spanish viewer's language rule keeps the English CTA from it: a `none`, audited.
  await waitUntil(async () => (await auditOf(showId, spanish.viewerId)).some((r) => r.kind === 'decision' && r.trigger === 'offer_word' && r.templateId === undefined), 5_000, 'the Spanish viewer\'s offer word decision');
  await english.page.context().close();
  await spanish.page.context().close();
  await host.close();
});

test('the host page passes axe-core with a show live, a poll open and a CTA showing, and its tables break no word', async () => {
  const showId = await createShow(onair, 'accessible host');
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const host = await context.newPage();
  await host.goto(`${onair.url}/host#token=${HOST_TOKEN}`);
  await host.locator(`#shows li[data-show-id="${showId}"] button`, { hasText: 'Preview' }).click();
  const { page } = await viewer(showId, '');
  await host.fill('#poll-question', 'Which gadget next?');
  await host.fill('#poll-options', 'Camera\nHeadphones');
  await host.click('#poll-launch');
  await host.locator('#poll-tallies[data-state="open"]').waitFor({ timeout: 5_000 });
  await host.fill('#overlay-headline', 'Twenty percent off every lens');
  await host.click('#overlay-form button[type="submit"]');
  await page.locator('#overlays .overlay[data-slot="shared"][data-template="shared"]').waitFor({ timeout: 5_000 });
  await host.locator('#arms tr[data-arm="control"]').waitFor({ timeout: 5_000 });
  await host.locator('#cues[data-watching]').waitFor({ state: 'attached' });

  const violations = await axeViolations(host);
  assert.deepEqual(violations, [], JSON.stringify(violations, null, 1));
  for (const width of [1280, 900]) {
    await host.setViewportSize({ width, height: 800 });
    assert.deepEqual(await brokenWords(host, '#arms th, #arms td'), [], `${width} px: no word of the experiment table is broken`);
  }
  await page.context().close();
  await context.close();
});
