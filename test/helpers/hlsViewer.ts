/**
 * The viewer page over LL-HLS, shared by test/e2e/hls.test.ts and bench/hls.ts: opening it
 * with `?transport=hls` and reading what it plays.
 */
import type { Browser, Page } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { waitForPage } from './pageStats.js';

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
