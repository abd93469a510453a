/**
 * A word-timed CTA measured against the word as a viewer page hears it, over WebRTC or HLS:
 * shared by test/e2e/audience.test.ts, test/e2e/hls.test.ts and bench/hls.ts.
 */
import type { Page } from 'playwright-core';
import type { OnAir } from '../../server/OnAir.js';
import { waitUntil } from './batch.js';
import { installLevelMeter } from './pageStats.js';
import { hostAuth } from './startOnAir.js';

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
  // Let a young page's jitter buffer settle first: while it drains (NetEQ's accelerate), the
  // pause before the offer word can shrink below the quiet gap the onset detection needs.
  await page.evaluate('new Promise((r) => setTimeout(r, 2500))');
  // Only what the page hears after the cue is sent counts: its first onset is the line's first word.
  const sentAt = (await page.evaluate('performance.now()')) as number;
  const response = await fetch(`${onair.url}/api/shows/${showId}/cues`, {
    method: 'POST',
    headers: { ...hostAuth, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'Hello everyone. Ledger wallets keep your keys offline.', offer: { word: 'Ledger', overlay: 'ledger-card' } }),
  });
  if (response.status !== 202) throw new Error(`cue: ${response.status} ${await response.text()}`);
  let last: unknown;
  const { onsets, shownAt } = await waitUntil(async () => {
    // An onset: sound after at least 120 ms of quiet (the first needs none). A rising edge may
    // pass a sample or two between quiet and sound: that does not undo the quiet before it.
    const result = (last = await page.evaluate(`(() => {
      const onsets = [];
      let quietSince = null;
      let quietMs = 0;
      let risingSince = null;
      for (const [t, level] of window.levels) {
        if (t < ${sentAt}) continue;
        if (level < 0.003) {
          quietSince ??= t;
          quietMs = t - quietSince;
          risingSince = null;
        } else if (level > 0.01) {
          if (onsets.length === 0 || quietMs > 120) onsets.push(t);
          quietSince = null;
          quietMs = 0;
          risingSince = null;
        } else {
          quietSince = null;
          risingSince ??= t;
          if (t - risingSince > 40) quietMs = 0;
        }
      }
      // For a failure's message: the level, 50 ms bins (the largest in each), from 300 ms before the first onset.
      const from = (onsets[0] ?? 0) - 300;
      const bins = [];
      for (const [t, level] of window.levels) if (t >= from) bins[Math.floor((t - from) / 50)] = Math.max(bins[Math.floor((t - from) / 50)] ?? 0, level);
      return { onsets, shownAt: window.ctaShownAt, bins: Array.from(bins, (v) => Number((v ?? 0).toFixed(4))).slice(0, 80) };
    })()`)) as { onsets: number[]; shownAt: number | null; bins: number[] };
    return result.onsets.length >= 2 && result.shownAt !== null && result;
  }, 15_000, 'the word heard and the CTA shown').catch((error: Error) => {
    throw new Error(`${error.message}: ${JSON.stringify(last)}`);
  });
  return shownAt! - onsets[1]!;
}
