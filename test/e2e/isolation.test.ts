/**
 * Issue 14, isolation: the media path never waits for the event loop that parses HTTP, SDP
 * and socket events. A server process streams a show to a werift viewer (in this process)
 * while another process sends 20 hostile WHEP offers and 1,000 socket events a second from
 * 100 joined viewers (10 each: none is refused, all are handled). The viewer's video must not
 * notice: its largest gap between packets stays ≤ 100 ms, with no loss. `npm run
 * bench:isolation` measures the same over several rounds, against the same span unloaded.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { attack, spanStats, startWatchedShow, type WatchedShow } from '../helpers/isolationRun.js';

const shows: WatchedShow[] = [];

after(async () => {
  await Promise.all(shows.map(async ({ viewer, node }) => (await viewer.close(), await node.stop())));
});

for (const backend of ['mediasoup', 'werift'] as const) {
  test(`${backend}: 20 hostile offers and 1,000 socket events a second leave a watching viewer's video untouched`, { timeout: 120_000 }, async () => {
    const show = await startWatchedShow(backend);
    shows.push(show);
    const { summary, fromMs, toMs } = await attack(show);
    assert.deepEqual(summary.statuses, { 400: 20 }, 'every hostile offer refused as bad SDP');
    assert.equal(summary.sent, 3_000);
    assert.ok(summary.acked >= 2_700, `${summary.acked} events handled, not refused`);
    const video = spanStats(show.arrivals, fromMs, toMs);
    console.log(`${backend}: ${summary.acked} of ${summary.sent} socket events handled, 20 hostile offers refused; viewer: ${video.packets} video packets, largest gap ${video.largestGapMs.toFixed(1)} ms, ${video.lost} lost`);
    assert.ok(video.packets > 100, `${video.packets} video packets during the flood`);
    assert.ok(video.largestGapMs <= 100, `largest video gap ${video.largestGapMs.toFixed(1)} ms`);
    assert.equal(video.lost, 0, 'video packets lost');
  });
}
