/**
 * bench:isolation — issue 14's isolation proof, measured: does hostile signalling reach a
 * watching viewer's video? A server process (`server/main.ts`) streams a test-card show to a
 * werift viewer in this process. For ROUNDS rounds per backend, the viewer's video is
 * measured for 3 s without load, then for the 3 s in which another process (test/helpers/flood.ts)
 * sends 20 hostile WHEP offers (1,000 m-lines each) and 1,000 socket events a second from
 * 100 joined viewers (10 each, so none is refused). Prints the gaps between video packets
 * (p50/p95/p99/max) and lost packets, quiet against flooded. The target is a largest gap
 * ≤ 100 ms with no loss.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { formatSummary, summarize } from '../lib/percentiles.js';
import { ROOT_DIR } from '../lib/paths.js';
import { NodeProcess } from '../test/helpers/nodeProcess.js';
import { hostAuth, isolatedBatchEnv } from '../test/helpers/startOnAir.js';
import { WeriftViewer } from '../test/helpers/weriftViewer.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Arrival = { atMs: number; seq: number };

/** Gaps between video packets that arrived in a span, and sequence numbers missing from it. */
function spanStats(arrivals: Arrival[], fromMs: number, toMs: number) {
  const span = arrivals.filter((a) => a.atMs >= fromMs && a.atMs <= toMs);
  const gaps = span.slice(1).map((a, i) => a.atMs - span[i]!.atMs);
  const first = span[0]?.seq ?? 0;
  const range = span.length && ((span.at(-1)!.seq - first) & 0xffff) + 1;
  const seen = new Set(span.map((a) => (a.seq - first) & 0xffff).filter((offset) => offset < range));
  return { gaps, lost: range - seen.size };
}

for (const backend of ['mediasoup', 'werift'] as const) {
  const node = await NodeProcess.start(`isolation-${backend}`, {
    ...isolatedBatchEnv(),
    ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
    HLS: 'false',
    SFU_BACKEND: backend,
    // The hostile offers must reach the SDP checks, and the attacker's viewers must all join.
    WHEP_OFFER_BURST: '1000',
    VIEWER_JOIN_BURST: '1000',
    MAX_SOCKETS_PER_IP: '1000',
    MAX_CONNECTIONS_PER_IP: '1000',
  });
  const created = await fetch(`${node.url}/api/shows`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'bench:isolation', testCard: true }) });
  const { id: showId } = (await created.json()) as { id: string };
  const arrivals: Arrival[] = [];
  const viewer = new WeriftViewer({ keepPackets: false, onPacket: (kind, packet) => kind === 'video' && arrivals.push({ atMs: performance.now(), seq: packet.header.sequenceNumber }) });
  const answer = await fetch(`${node.url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: await viewer.createOffer() });
  await viewer.acceptAnswer(await answer.text());
  await viewer.waitFor(() => viewer.counts.video > 100, 15_000, 'video at the viewer');

  const quiet = { gaps: [] as number[], lost: 0, largest: [] as number[] };
  const flooded = { gaps: [] as number[], lost: 0, largest: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // The attacker's process connects its 100 viewers first; the measured span is its attack.
    const attacker = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/flood.ts', node.url, showId, '20', '1000', '3'], { cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = createInterface({ input: attacker.stdout });
    await once(lines, 'line');
    await sleep(500);
    const quietFromMs = performance.now();
    await sleep(3_000);
    const calm = spanStats(arrivals, quietFromMs, performance.now());
    const fromMs = performance.now();
    attacker.stdin.write('go\n');
    const [summary] = (await once(lines, 'line')) as [string];
    const attack = spanStats(arrivals, fromMs, performance.now());
    for (const [into, from] of [[quiet, calm], [flooded, attack]] as const) {
      into.gaps.push(...from.gaps);
      into.lost += from.lost;
      into.largest.push(Math.max(...from.gaps));
    }
    console.log(`${backend} round ${round + 1}: attacker ${summary}; largest gap ${Math.max(...calm.gaps).toFixed(1)} ms quiet, ${Math.max(...attack.gaps).toFixed(1)} ms flooded; lost ${calm.lost} / ${attack.lost}`);
    await once(attacker, 'exit');
  }
  console.log(formatSummary(`${backend} video packet gap, quiet`, summarize(quiet.gaps)));
  console.log(formatSummary(`${backend} video packet gap, flooded`, summarize(flooded.gaps)));
  console.log(`${backend}: largest gap per round quiet ${quiet.largest.map((v) => v.toFixed(0)).join('/')} ms, flooded ${flooded.largest.map((v) => v.toFixed(0)).join('/')} ms (target ≤ 100); lost ${quiet.lost} quiet, ${flooded.lost} flooded (target 0)`);
  await viewer.close();
  await node.stop();
}
process.exit(0);
