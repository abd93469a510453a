/**
 * bench:splice — cue → first speech audio at a werift viewer, for lines the batch lane
 * cached (spliced, no TTS) against lines synthesized live, alternating in the same run on
 * the same show. The presenter is interrupted after each line; the next waits for silence.
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { waitUntil } from '../test/helpers/batch.js';
import { createShow, hostAuth, producerAuth, startOnAir } from '../test/helpers/startOnAir.js';
import { epochNow, SpeechProbe } from './speechProbe.js';

const ROUNDS = Number(process.env.SPLICE_ROUNDS ?? 30);
const CACHED = ['Welcome back everyone.', 'Here is the new lens.', 'Let me show you how it works.', 'Great question, thank you.', 'Now for the next part.'];
const LIVE = ['Welcome back, all of you.', 'Here is the latest lens.', 'Let me show you how it runs.', 'Good question, thanks a lot.', 'Now on to the next bit.'];

const onair = await startOnAir({ EMBEDDED_WORKER: 'true' });
const showId = await createShow(onair, 'bench:splice');
const post = async (path: string, body: unknown, auth: Record<string, string>) =>
  (await fetch(`${onair.url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ id: string }>;

const job = await post('/api/jobs/voice-cache', { persona: 'ava', phrases: CACHED }, producerAuth);
await waitUntil(async () => (await onair.queues.status('voice-cache', job.id))?.state === 'completed', 60_000, 'the voice cache');

const probe = await SpeechProbe.join(onair, showId);

const results = { cached: [] as number[], live: [] as number[] };
const ready = { cached: [] as number[], live: [] as number[] };
for (let i = 0; i < ROUNDS * 2; i++) {
  const kind = i % 2 === 0 ? 'cached' : 'live';
  const text = (kind === 'cached' ? CACHED : LIVE)[Math.floor(i / 2) % CACHED.length]!;
  await waitUntil(() => epochNow() - probe.lastSpeechAt > 300, 5_000, 'silence', 5);
  const sentAt = epochNow();
  const { id } = await post(`/api/shows/${showId}/cues`, { text }, hostAuth);
  const firstAt = await waitUntil(() => (probe.lastSpeechAt > sentAt ? probe.lastSpeechAt : 0), 3_000, `speech at the viewer for ${JSON.stringify(onair.shows.live(showId)!.cues!.get(id))}`, 2);
  const cue = onair.shows.live(showId)!.cues!.get(id)!;
  if ((cue.speechSource === 'cache') !== (kind === 'cached')) throw new Error(`cue "${text}" came from ${cue.speechSource}`);
  results[kind].push(firstAt - sentAt);
  ready[kind].push(cue.timings.speechReadyMs ?? NaN);
  await fetch(`${onair.url}/api/shows/${showId}/interrupt`, { method: 'POST', headers: hostAuth });
}

const cached = summarize(results.cached);
const live = summarize(results.live);
console.log(`bench:splice — ${ROUNDS} cached and ${ROUNDS} live cues, alternating, 360p30 H264 + Opus`);
console.log(formatSummary('  cached: cue → speech ready (server)', summarize(ready.cached)));
console.log(formatSummary('  live:   cue → speech ready (server)', summarize(ready.live)));
console.log(formatSummary('  cached: cue → first speech RTP at the viewer', cached));
console.log(formatSummary('  live:   cue → first speech RTP at the viewer', live));
console.log(`  cached / live: p50 ${(cached.p50 / live.p50).toFixed(2)}×, p95 ${(cached.p95 / live.p95).toFixed(2)}×`);
console.log('  targets: cached p95 ≤ 120 ms and ≤ 0.6× live');
await probe.close();
await onair.close();
process.exit(0);
