/**
 * bench:overlay — 1,000 socket.io viewers in a process of their own send events at 1/s to a
 * live presenter show. Measures event → decision → overlay delivered (the overlay message,
 * and the ack that follows it), then a Chromium viewer's event → overlay in the DOM.
 * The bench brings its own CTA catalog (OVERLAY_DIR): the demo templates without frequency
 * caps, in copies, so every decision may show something; the demo catalog's caps would
 * answer most events with `none`.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import { formatSummary, summarize } from '../../lib/percentiles.js';
import { launchChromium } from '../../test/helpers/chromium.js';
import { createShow, hostAuth, startOnAir } from '../../test/helpers/startOnAir.js';
import { uncappedCatalog } from './uncappedCatalog.js';

const VIEWERS = Number(process.env.OVERLAY_VIEWERS ?? 1000);
const SECONDS = Number(process.env.OVERLAY_SECONDS ?? 30);
const DOM_SAMPLES = Number(process.env.OVERLAY_DOM_SAMPLES ?? 20);
/** A dismissed CTA stays away for the session, so the catalog holds copies enough for the run. */
const COPIES = 6;

// The holdout (10%) sees the show's default CTA, as a show with a house ad would run it.
const onair = await startOnAir({ OVERLAY_DIR: uncappedCatalog(COPIES), DEFAULT_OVERLAY: 'newsletter-badge-0', MAX_VIEWERS_PER_SHOW: String(VIEWERS + 10), VIEWER_JOIN_BURST: String(VIEWERS + 10) });
const showId = await createShow(onair, 'bench:overlay');
console.log(`bench:overlay: ${VIEWERS} socket.io viewers, 1 event/s each for ${SECONDS} s, presenter show ${showId}`);

const load = fork(path.join(ROOT_DIR, 'bench/overlay/viewersProcess.ts'), [JSON.stringify({ url: onair.url, showId, viewers: VIEWERS, seconds: SECONDS })], { execArgv: ['--import', 'tsx'] });
const result = await new Promise<{ acks: number[]; overlays: number[]; errors: number; decisions: number }>((resolve, reject) => {
  load.on('message', (m: { type: string; viewers?: number }) => {
    if (m.type === 'connected') console.log(`  ${m.viewers} viewers connected and joined`);
    if (m.type === 'done') resolve(m as never);
  });
  load.once('exit', (code) => reject(new Error(`the viewer process exited with ${code}`)));
});
const events = result.acks.length + result.errors;
console.log(`  ${events} events (${(events / SECONDS).toFixed(0)}/s), ${result.decisions} decisions, ${result.errors} errors`);
console.log(formatSummary('  event → overlay delivered', summarize(result.overlays)));
console.log(formatSummary('  event → ack (after the decision and the overlay)', summarize(result.acks)));
const snapshot = await onair.shows.audience(showId)!.snapshot();
console.log(formatSummary('  decision in the server (engine)', snapshot.latency));

console.log(formatSummary('  Chromium: event → overlay in the DOM', await chromiumEventToDom()));
await onair.close();
process.exit(0);

/**
 * A viewer page clicks its CTA; when the next decision shows one (the ranker may choose
 * `none`, and then a later heartbeat brings the next CTA), that overlay's time into the DOM.
 * The viewer is one the ranker likes to show CTAs to: consented, from an email, on topic.
 */
async function chromiumEventToDom() {
  await fetch(`${onair.url}/api/shows/${showId}/topic`, { method: 'PUT', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ topic: 'ai' }) });
  const browser = await launchChromium();
  const page = await browser.newPage();
  await page.context().route(/^https:/, (route) => route.fulfill({ status: 204 }));
  await page.goto(`${onair.url}/watch/${showId}?utm_source=briefing&utm_medium=email`);
  await page.check('#consent');
  const samples: number[] = [];
  for (let attempt = 0; samples.length < DOM_SAMPLES && attempt < DOM_SAMPLES * 4; attempt++) {
    await page.waitForSelector('#overlays .overlay[data-slot="personal"]', { timeout: 20_000 }).catch(async (error: Error) => {
      const state = await page.evaluate('({ state: document.getElementById("state").dataset.state, socket: window.onair.socket?.connected, token: window.onair.client.token })');
      throw new Error(`${error.message.split('\n')[0]}: ${JSON.stringify(state)} ${JSON.stringify(await onair.audience.audit.byShow(showId, { limit: 5 }))}`);
    });
    const sample = (await page.evaluate(`(async () => {
      const card = document.querySelector('#overlays .overlay[data-slot="personal"]');
      const shown = new Promise((resolve) => {
        const observer = new MutationObserver(() => {
          const next = document.querySelector('#overlays .overlay[data-slot="personal"]');
          if (next && next.dataset.decisionId !== card.dataset.decisionId) (observer.disconnect(), resolve(performance.now()));
        });
        observer.observe(document.getElementById('overlays'), { childList: true });
        setTimeout(() => (observer.disconnect(), resolve(null)), 1000);
      });
      const started = performance.now();
      const action = card.querySelector('.action');
      // The click is recorded by the page's own handler; the shop's tab is not opened (it would time the popup).
      action.addEventListener('click', (event) => event.preventDefault());
      action.click();
      const at = await shown;
      return at === null ? null : at - started;
    })()`)) as number | null;
    if (sample !== null) samples.push(sample);
  }
  await browser.close();
  return summarize(samples);
}
