/**
 * Shared by test/e2e/isolation.test.ts and bench/isolation.ts: a server process streaming a
 * test-card show to a werift viewer in this process, and an attack on it from another process
 * (test/helpers/flood.ts) whose span can be measured on its own.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { ROOT_DIR } from '../../lib/paths.js';
import { NodeProcess } from './nodeProcess.js';
import { hostAuth, isolatedBatchEnv } from './startOnAir.js';
import { WeriftViewer } from './weriftViewer.js';

export type Arrival = { atMs: number; seq: number };

export interface WatchedShow {
  node: NodeProcess;
  showId: string;
  viewer: WeriftViewer;
  /** Every video packet the viewer got: when, and its sequence number. */
  arrivals: Arrival[];
}

export async function startWatchedShow(backend: 'mediasoup' | 'werift'): Promise<WatchedShow> {
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
  const created = await fetch(`${node.url}/api/shows`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'isolation', testCard: true }) });
  const { id: showId } = (await created.json()) as { id: string };
  const arrivals: Arrival[] = [];
  const viewer = new WeriftViewer({ keepPackets: false, onPacket: (kind, packet) => kind === 'video' && arrivals.push({ atMs: performance.now(), seq: packet.header.sequenceNumber }) });
  const answer = await fetch(`${node.url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: await viewer.createOffer() });
  if (answer.status !== 201) throw new Error(`WHEP: ${answer.status}`);
  await viewer.acceptAnswer(await answer.text());
  await viewer.waitFor(() => viewer.counts.video > 100, 15_000, 'video at the viewer');
  return { node, showId, viewer, arrivals };
}

export interface Attack {
  summary: { statuses: Record<string, number>; sent: number; acked: number };
  fromMs: number;
  toMs: number;
}

/**
 * 20 hostile offers and 1,000 socket events a second for 3 s. The attacker's process connects
 * its 100 viewers first; `quietMs` more pass before the attack (measured spans for comparison).
 */
export async function attack({ node, showId }: WatchedShow, quietMs = 0): Promise<Attack> {
  const attacker = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/flood.ts', node.url, showId, '20', '1000', '3'], { cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'inherit'], timeout: 90_000 });
  const exited = once(attacker, 'exit');
  const lines = createInterface({ input: attacker.stdout });
  const [ready] = (await once(lines, 'line')) as [string];
  if (ready !== 'ready') throw new Error(`attacker: ${ready}`);
  await new Promise((resolve) => setTimeout(resolve, quietMs));
  const fromMs = performance.now();
  attacker.stdin.write('go\n');
  const [summary] = (await once(lines, 'line')) as [string];
  const toMs = performance.now();
  await exited;
  return { summary: JSON.parse(summary) as Attack['summary'], fromMs, toMs };
}

/** Video packets that arrived in a span: the gaps between them, and sequence numbers missing. */
export function spanStats(arrivals: readonly Arrival[], fromMs: number, toMs: number): { packets: number; gaps: number[]; largestGapMs: number; lost: number } {
  const span = arrivals.filter((a) => a.atMs >= fromMs && a.atMs <= toMs);
  const gaps = span.slice(1).map((a, i) => a.atMs - span[i]!.atMs);
  const first = span[0]?.seq ?? 0;
  const range = span.length && ((span.at(-1)!.seq - first) & 0xffff) + 1;
  const seen = new Set(span.map((a) => (a.seq - first) & 0xffff).filter((offset) => offset < range));
  return { packets: span.length, gaps, largestGapMs: Math.max(0, ...gaps), lost: range - seen.size };
}
