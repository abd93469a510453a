/**
 * The viewer page over LL-HLS, shared by test/e2e/hls.test.ts and bench/hls.ts: opening it
 * with `?transport=hls`, reading what it plays, and timing a word-timed CTA against the word
 * as the page's audio plays it.
 */
import type { Browser, Page } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { waitUntil } from './batch.js';
import { installLevelMeter, waitForPage } from './pageStats.js';
import { hostAuth } from './startOnAir.js';

export interface HlsPlayback {
  currentTime: number;
  framesDecoded: number;
  framesDropped: number;
  audioBytesDecoded: number;
  /** hls.js' distance from the live edge, in seconds. */
  latencyS: number | null;
}

/** A viewer page playing `showId` over HLS, joined with consent (word-timed CTAs go to consenting viewers). */
export async function watchOverHls(browser: Browser, onair: OnAir, showId: string): Promise<Page> {
  const page = await browser.newPage({ locale: 'en-US' });
  // CTA links point at real shops; this machine has no internet, and a test must not leave loopback.
  await page.context().route(/^https:/, (route) => route.fulfill({ status: 204 }));
  await page.goto(`${onair.url}/watch/${showId}?transport=hls`);
  await page.check('#consent');
  await page.waitForSelector('#state[data-state="connected"]', { timeout: 20_000 });
  await waitForPage(() => hlsPlayback(page), (p) => p.framesDecoded > 10, 10_000, 'frames played over HLS');
  return page;
}

export function hlsPlayback(page: Page): Promise<HlsPlayback> {
  return page.evaluate(`(() => {
    const video = document.querySelector('video');
    const quality = video.getVideoPlaybackQuality();
    const hls = window.onair.client.hls;
    return {
      currentTime: video.currentTime,
      framesDecoded: quality.totalVideoFrames,
      framesDropped: quality.droppedVideoFrames,
      audioBytesDecoded: video.webkitAudioDecodedByteCount,
      latencyS: hls ? hls.latency : null,
    };
  })()`) as Promise<HlsPlayback>;
}

/**
 * Says a line whose offer word opens its second sentence, after a pause, and measures when the
 * CTA appears against that word's onset in the audio the page plays (a WebAudio meter).
 * Resolves to the CTA's offset from the word: positive is late.
 */
export async function wordTimedCtaOffsetMs(page: Page, onair: OnAir, showId: string): Promise<number> {
  await installLevelMeter(page);
  await page.evaluate(`(() => {
    window.ctaShownAt = null;
    new MutationObserver(() => {
      if (window.ctaShownAt === null && document.querySelector('#overlays .overlay[data-template="ledger-card"]')) window.ctaShownAt = performance.now();
    }).observe(document.getElementById('overlays'), { childList: true });
  })()`);
  await page.evaluate('new Promise((r) => setTimeout(r, 500))');
  const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, {
    method: 'POST',
    headers: { ...hostAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Hello everyone. Ledger wallets keep your keys offline.', offer: { word: 'Ledger', overlay: 'ledger-card' } }),
  });
  if (response.status !== 202) throw new Error(`cue: ${response.status} ${await response.text()}`);
  let last: unknown;
  const { onsets, shownAt } = await waitUntil(async () => {
    // An onset: sound after at least 120 ms of quiet (the first needs none).
    const result = (last = await page.evaluate(`(() => {
      const onsets = [];
      let quietSince = null;
      for (const [t, level] of window.levels) {
        if (level < 0.003) quietSince ??= t;
        else if (level > 0.01 && (quietSince === null ? onsets.length === 0 : t - quietSince > 120)) (onsets.push(t), (quietSince = null));
        else if (level > 0.003) quietSince = null;
      }
      return { onsets, shownAt: window.ctaShownAt };
    })()`)) as { onsets: number[]; shownAt: number | null };
    return result.onsets.length >= 2 && result.shownAt !== null && result;
  }, 15_000, 'the word heard and the CTA shown').catch((error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify(last)}`);
  });
  return shownAt! - onsets[1]!;
}
