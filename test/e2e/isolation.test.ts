/**
 * Issue 14, isolation: the media path never waits for the event loop that parses HTTP, SDP
 * and socket events. A server process streams a show to a werift viewer (in this process)
 * while another process sends 20 hostile WHEP offers and 1,000 socket events a second from
 * 100 joined viewers (10 each: none is refused, all are handled). The viewer's video must not
 * notice: its largest gap between packets stays ≤ 100 ms, with no loss. `npm run
 * bench:isolation` measures the same over several rounds, against the same span unloaded.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { ROOT_DIR } from '../../lib/paths.js';
import { NodeProcess } from '../helpers/nodeProcess.js';
import { hostAuth, isolatedBatchEnv } from '../helpers/startOnAir.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';

const nodes: NodeProcess[] = [];
const viewers: WeriftViewer[] = [];

after(async () => {
  await Promise.all(viewers.map((v) => v.close()));
  await Promise.all(nodes.map((n) => n.stop()));
});

for (const backend of ['mediasoup', 'werift'] as const) {
  test(`${backend}: 20 hostile offers and 1,000 socket events a second leave a watching viewer's video untouched`, { timeout: 120_000 }, async () => {
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
    nodes.push(node);
    const created = await fetch(`${node.url}/api/shows`, { method: 'POST', headers: { ...hostAuth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'isolation', testCard: true }) });
    const { id: showId } = (await created.json()) as { id: string };

    const arrivals: Array<{ atMs: number; seq: number }> = [];
    const viewer = new WeriftViewer({ keepPackets: false, onPacket: (kind, packet) => kind === 'video' && arrivals.push({ atMs: performance.now(), seq: packet.header.sequenceNumber }) });
    viewers.push(viewer);
    const answer = await fetch(`${node.url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: await viewer.createOffer() });
    assert.equal(answer.status, 201);
    await viewer.acceptAnswer(await answer.text());
    await viewer.waitFor(() => viewer.counts.video > 100, 15_000, 'video at the viewer');

    // The attacker's process connects its 100 viewers first; the measured span is its attack.
    const attacker = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/flood.ts', node.url, showId, '20', '1000', '3'], { cwd: ROOT_DIR, stdio: ['pipe', 'pipe', 'inherit'], timeout: 90_000 });
    const lines = createInterface({ input: attacker.stdout });
    assert.deepEqual(await once(lines, 'line'), ['ready']);
    const fromMs = performance.now();
    attacker.stdin.write('go\n');
    const [summary] = (await once(lines, 'line')) as [string];
    const toMs = performance.now();
    const flood = JSON.parse(summary) as { statuses: Record<string, number>; sent: number; acked: number };
    assert.deepEqual(flood.statuses, { 400: 20 }, 'every hostile offer refused as bad SDP');
    assert.equal(flood.sent, 3_000);
    assert.ok(flood.acked >= 2_700, `${flood.acked} events handled, not refused`);

    const span = arrivals.filter((a) => a.atMs >= fromMs && a.atMs <= toMs);
    const largestGapMs = Math.max(...span.slice(1).map((a, i) => a.atMs - span[i]!.atMs));
    const first = span[0]!.seq;
    const range = ((span.at(-1)!.seq - first) & 0xffff) + 1;
    const lost = range - new Set(span.map((a) => (a.seq - first) & 0xffff)).size;
    console.log(`${backend}: ${flood.acked} of ${flood.sent} socket events handled, 20 hostile offers refused; viewer: ${span.length} video packets, largest gap ${largestGapMs.toFixed(1)} ms, ${lost} lost`);
    assert.ok(span.length > 100, `${span.length} video packets during the flood`);
    assert.ok(largestGapMs <= 100, `largest video gap ${largestGapMs.toFixed(1)} ms`);
    assert.equal(lost, 0, 'video packets lost');
  });
}
