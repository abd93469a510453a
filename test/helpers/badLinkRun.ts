import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { LinkShaper, type LinkShape } from './linkShaper.js';
import { waitForPage } from './pageStats.js';

/** The bad link: 400 kbps, 2% loss, 80 ms delay, against a 900 kbps show. */
export const BAD_LINK: LinkShape = { rateKbps: 400, queueMs: 300, lossPercent: 2, delayMs: 80 };

export interface VideoStats {
  atMs: number;
  frameHeight: number;
  framesDecoded: number;
  /** Chromium's freezes (a frame later than max(3 frame intervals, 150 ms + one)) and pauses (5 s or more). */
  totalFreezesDuration: number;
  totalPausesDuration: number;
}

/** What one viewer page went through while it was watched. */
export interface ViewerRun {
  /** The decoded picture's height, once a second. */
  heights: number[];
  /** Share of the time the picture stood still: freezes and pauses. */
  stalledShare: number;
  pausedS: number;
  fps: number;
  /** Seconds in which fewer than 5 frames were decoded (Chromium counts no freeze while nothing is shown). */
  frozenSeconds: number;
}

export interface BadLinkRun {
  good: ViewerRun;
  bad: ViewerRun;
  shaper: LinkShaper;
  badPage: Page;
}

/**
 * A viewer page on a good link (loopback) that has reached the top layer, then a second one
 * whose media goes through a link shaper (the WHEP answer's UDP candidate is rewritten to the
 * shaper's port, its TCP candidates dropped): both are watched side by side for `seconds`,
 * from the bad link's first frame. The caller closes the pages and the shaper.
 */
export async function watchBadLink(browser: Browser, watchUrl: string, seconds: number, shape: LinkShape = BAD_LINK): Promise<BadLinkRun> {
  const good = await browser.newPage();
  await good.goto(watchUrl);
  // New viewers start on the low layer for 2 s; one on a good link is on the top one soon after.
  await waitForPage(() => videoStats(good), (s) => s.frameHeight >= 360, 20_000, 'the first viewer on the top layer');

  const badPage = await browser.newPage();
  let shaper: LinkShaper | undefined;
  await badPage.route(/\/whep\/[^/]+$/, async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    const response = await route.fetch();
    const sdp = await response.text();
    const candidate = /^a=candidate:\S+ 1 udp \d+ 127\.0\.0\.1 (\d+) typ host.*$/m.exec(sdp);
    if (!response.ok() || !candidate) return route.fulfill({ response, body: sdp });
    shaper ??= await LinkShaper.open({ host: '127.0.0.1', port: Number(candidate[1]) }, shape);
    const body = sdp
      .split('\r\n')
      .filter((line) => !/^a=candidate:\S+ 1 tcp /.test(line))
      .map((line) => (line === candidate[0] ? line.replace(` ${candidate[1]} typ`, ` ${shaper!.port} typ`) : line))
      .join('\r\n');
    await route.fulfill({ response, body });
  });
  const samples: Array<{ good: VideoStats; bad: VideoStats }> = [];
  let goodFrom: VideoStats;
  let badFrom: VideoStats;
  try {
    await badPage.goto(watchUrl);
    goodFrom = await videoStats(good);
    badFrom = await waitForPage(() => videoStats(badPage), (s) => s.framesDecoded > 0, 15_000, 'a first frame on the bad link');
    for (let i = 0; i < seconds; i++) {
      await sleep(1_000);
      samples.push({ good: await videoStats(good), bad: await videoStats(badPage) });
    }
  } catch (error) {
    shaper?.close();
    await badPage.close();
    throw error;
  } finally {
    await good.close();
  }
  const run = (from: VideoStats, series: VideoStats[]): ViewerRun => {
    const to = series.at(-1)!;
    const spanS = (to.atMs - from.atMs) / 1000;
    const pausedS = to.totalPausesDuration - from.totalPausesDuration;
    const frames = [from, ...series].map((s) => s.framesDecoded);
    return {
      heights: series.map((s) => s.frameHeight),
      frozenSeconds: frames.slice(1).filter((n, i) => n - frames[i]! < 5).length,
      stalledShare: (to.totalFreezesDuration - from.totalFreezesDuration + pausedS) / spanS,
      pausedS,
      fps: (to.framesDecoded - from.framesDecoded) / spanS,
    };
  };
  return { good: run(goodFrom, samples.map((s) => s.good)), bad: run(badFrom, samples.map((s) => s.bad)), shaper: shaper!, badPage };
}

export function videoStats(page: Page): Promise<VideoStats> {
  return page.evaluate(async () => {
    const pc = (window as unknown as { onair?: { client?: { pc?: RTCPeerConnection | null } } }).onair?.client?.pc;
    const result = { atMs: Date.now(), frameHeight: 0, framesDecoded: 0, totalFreezesDuration: 0, totalPausesDuration: 0 };
    (await pc?.getStats())?.forEach((s) => {
      if (s.type !== 'inbound-rtp' || s.kind !== 'video') return;
      Object.assign(result, {
        frameHeight: s.frameHeight ?? 0,
        framesDecoded: s.framesDecoded ?? 0,
        totalFreezesDuration: s.totalFreezesDuration ?? 0,
        totalPausesDuration: s.totalPausesDuration ?? 0,
      });
    });
    return result;
  });
}
