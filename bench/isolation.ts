/**
 * bench:isolation — issue 14's isolation proof, measured over ROUNDS rounds per backend: a
 * server process streams a test-card show to a werift viewer in this process; each round, the
 * viewer's video is measured for 3 s unloaded, then for the 3 s in which another process sends
 * 20 hostile WHEP offers (1,000 m-lines each) and 1,000 socket events a second from 100 joined
 * viewers (all handled). Prints the gaps between video packets (p50/p95/p99/max) and lost
 * packets, quiet against flooded. The target is a largest gap ≤ 100 ms with no loss.
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { attack, spanStats, startWatchedShow } from '../test/helpers/isolationRun.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const QUIET_MS = 3_000;

for (const backend of ['mediasoup', 'werift'] as const) {
  const show = await startWatchedShow(backend);
  const totals = { quiet: { gaps: [] as number[], largest: [] as number[], lost: 0 }, flooded: { gaps: [] as number[], largest: [] as number[], lost: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    const { summary, fromMs, toMs } = await attack(show, QUIET_MS + 500);
    const spans = { quiet: spanStats(show.arrivals, fromMs - QUIET_MS, fromMs), flooded: spanStats(show.arrivals, fromMs, toMs) };
    for (const kind of ['quiet', 'flooded'] as const) {
      totals[kind].gaps.push(...spans[kind].gaps);
      totals[kind].largest.push(spans[kind].largestGapMs);
      totals[kind].lost += spans[kind].lost;
    }
    console.log(`${backend} round ${round + 1}: attacker ${JSON.stringify(summary)}; largest gap ${spans.quiet.largestGapMs.toFixed(1)} ms quiet, ${spans.flooded.largestGapMs.toFixed(1)} ms flooded; lost ${spans.quiet.lost} / ${spans.flooded.lost}`);
  }
  for (const kind of ['quiet', 'flooded'] as const) console.log(formatSummary(`${backend} video packet gap, ${kind}`, summarize(totals[kind].gaps)));
  const largest = (kind: 'quiet' | 'flooded') => totals[kind].largest.map((v) => v.toFixed(0)).join('/');
  console.log(`${backend}: largest gap per round quiet ${largest('quiet')} ms, flooded ${largest('flooded')} ms (target ≤ 100); lost ${totals.quiet.lost} quiet, ${totals.flooded.lost} flooded (target 0)`);
  await show.viewer.close();
  await show.node.stop();
}
process.exit(0);
