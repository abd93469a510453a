/**
 * bench:cluster — three OnAir node processes on one Redis (one cluster, one mediasoup worker
 * each) and this process as the load generator: every viewer lives here, on one clock.
 *  1. event → overlay: viewer sockets on every node; the host pushes shared overlays and
 *     launches polls over HTTP on the origin, then on an edge; host request sent → received.
 *  2. relay delay through the pipe: werift WHEP viewers on the origin (direct) and on an edge,
 *     first packet of each video frame (RTP timestamp) at the edge − at the direct viewers.
 *  3. CPU per viewer: the mediasoup worker of the origin with N viewers (the single-node case)
 *     and of an edge with N viewers (its pipe import included), each less its 0-viewer baseline.
 *  4. failover: kill -9 of the origin → the show live on another node (takeover), and → the
 *     first video packet at viewers of the edges that POST their WHEP offer again.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import { formatSummary, summarize } from '../../lib/percentiles.js';
import type { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { api, BenchCluster, until } from './cluster.js';
import { PageLikeViewer, repostUntilPlaying } from './failover.js';
import { connectViewers, type FrameViewer, relayDelay } from './media.js';
import { descendants, measureCpu, mediasoupWorkers, type CpuWindow } from './procCpu.js';
import { measureSockets, type SocketSample } from './sockets.js';
import { measureViewerEvents } from './viewerEvents.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const VIEWERS_PER_NODE = num('VIEWERS_PER_NODE', 8);
const SOCKETS_PER_NODE = num('SOCKETS_PER_NODE', 20);
const SOCKET_EVENTS = num('SOCKET_EVENTS', 24);
const SOCKET_GAP_MS = num('SOCKET_GAP_MS', 150);
const VIEWER_EVENT_ROUNDS = num('VIEWER_EVENT_ROUNDS', 20);
const CPU_SECONDS = num('CPU_SECONDS', 15);
const RELAY_SECONDS = num('RELAY_SECONDS', 10);
const SETTLE_SECONDS = num('SETTLE_SECONDS', 3);
const REPOST_MS = num('REPOST_MS', 200);
const FAILOVER_TIMEOUT_MS = num('FAILOVER_TIMEOUT_SECONDS', 20) * 1000;
const RESOLUTION = process.env.RESOLUTION ?? '360p';

const startedMs = performance.now();
const runStartedAt = Date.now();
const log = (line: string) => console.log(line);
const elapsed = () => `${((performance.now() - startedMs) / 1000).toFixed(0)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT MET');
const pct = (cores: number) => `${(cores * 100).toFixed(2)}%`;

/** Packets per second one viewer receives from now until the returned function is called. */
function packetRate(viewer: FrameViewer): () => { video: number; audio: number } {
  const before = { ...viewer.viewer.counts };
  const startMs = performance.now();
  return () => {
    const seconds = (performance.now() - startMs) / 1000;
    return {
      video: (viewer.viewer.counts.video - before.video) / seconds,
      audio: (viewer.viewer.counts.audio - before.audio) / seconds,
    };
  };
}

const cluster = new BenchCluster({ RESOLUTION });
// Whatever happens, no node, worker or ffmpeg of this run outlives it.
process.once('exit', () => cluster.killAllNow());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const viewers: FrameViewer[] = [];
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  cores: os.availableParallelism(),
  node: process.version,
  keyPrefix: cluster.env.QUEUE_PREFIX,
  config: {
    VIEWERS_PER_NODE,
    SOCKETS_PER_NODE,
    SOCKET_EVENTS,
    CPU_SECONDS,
    RELAY_SECONDS,
    REPOST_MS,
    RESOLUTION,
  },
};
let exitCode = 0;
try {
  log(
    `bench:cluster: 3 nodes (SFU_WORKERS=1), test-card show ${RESOLUTION}30 H264, ${os.availableParallelism()} cores, Node ${process.version}`,
  );
  // Node 1 alone places the show on itself; the others join after.
  const origin = await cluster.start('bench-1');
  const created = await api<{ id: string; node: string }>(origin, '/api/shows', {
    method: 'POST',
    json: { title: 'bench cluster', testCard: true },
  });
  if (created.status !== 201 || created.body.node !== origin.nodeId)
    throw new Error(`create show: ${created.status} ${JSON.stringify(created.body)}`);
  const showId = created.body.id;
  const [edge, edge2] = (await Promise.all([
    cluster.start('bench-2'),
    cluster.start('bench-3'),
  ])) as [NodeProcess, NodeProcess];
  const nodes = [origin, edge, edge2];
  await until(
    () => api<{ nodes: unknown[] }>(origin, '/api/cluster'),
    (r) => r.body.nodes.length === 3,
    15_000,
    'three nodes are listed',
  );
  const workers = new Map(nodes.map((n) => [n.nodeId, mediasoupWorkers(n.pid)]));
  for (const [id, pids] of workers)
    if (pids.length !== 1)
      throw new Error(`${id}: expected one mediasoup-worker child, found ${pids.length}`);
  log(
    `  nodes up at ${elapsed()}: origin ${origin.nodeId} (show ${showId}), edges ${edge.nodeId}, ${edge2.nodeId}`,
  );

  // 1. Event → overlay on every node, the host on the origin and then on an edge.
  const sockets = await measureSockets({
    nodes,
    hostNodes: [origin, edge],
    showId,
    perNode: SOCKETS_PER_NODE,
    events: SOCKET_EVENTS,
    gapMs: SOCKET_GAP_MS,
    log,
  });
  results.sockets = sockets;
  // 1b. A viewer's own event → its decision and overlay, on each node (decided where the socket is).
  const viewerEvents = await measureViewerEvents({
    nodes,
    showId,
    perNode: SOCKETS_PER_NODE,
    rounds: VIEWER_EVENT_ROUNDS,
    gapMs: 250,
    log,
  });
  results.viewerEvents = viewerEvents;

  // 3. CPU: 0 viewers; N on the origin; N on an edge alone (as much werift work in this process as with N on the origin).
  // 2. Between the two, both sets at once for the relay delay.
  const groups: Record<string, number[]> = {};
  for (const n of nodes) {
    groups[`${n.nodeId} worker`] = workers.get(n.nodeId)!;
    groups[`${n.nodeId} node`] = [n.pid];
  }
  log(`  0 viewers (${CPU_SECONDS} s) at ${elapsed()}`);
  const idle = await measureCpu(groups, CPU_SECONDS);
  const direct = await connectViewers(origin, showId, VIEWERS_PER_NODE);
  viewers.push(...direct);
  await sleep(SETTLE_SECONDS * 1000);
  log(`  ${VIEWERS_PER_NODE} viewers on ${origin.nodeId} (${CPU_SECONDS} s) at ${elapsed()}`);
  const singleRate = packetRate(direct[0]!);
  const single = await measureCpu(groups, CPU_SECONDS);
  const singlePps = singleRate();
  const piped = await connectViewers(edge, showId, VIEWERS_PER_NODE);
  viewers.push(...piped);
  await sleep(SETTLE_SECONDS * 1000);
  log(
    `  + ${VIEWERS_PER_NODE} viewers on ${edge.nodeId}, frames recorded (${RELAY_SECONDS} s) at ${elapsed()}`,
  );
  for (const v of viewers) v.recording = true;
  const relayWindow = await measureCpu(groups, RELAY_SECONDS);
  for (const v of viewers) v.recording = false;
  const delay = relayDelay(direct, piped);
  await Promise.all(viewers.splice(0, direct.length).map((v) => v.close()));
  // The origin's own sessions must be gone (its SFU counts them), or the window would still pay for them.
  type ClusterView = {
    nodes: { nodeId: string; load: { viewers: number; pipes: { exports: number } } }[];
  };
  const originLoad = async () =>
    (await api<ClusterView>(origin, '/api/cluster')).body.nodes.find(
      (n) => n.nodeId === origin.nodeId,
    )!.load;
  await until(
    originLoad,
    (load) => load.viewers === 0,
    15_000,
    `the origin's direct sessions are closed`,
    200,
  );
  await sleep(SETTLE_SECONDS * 1000);
  const exportsNow = (await originLoad()).pipes.exports;
  log(`  ${VIEWERS_PER_NODE} viewers on ${edge.nodeId} alone (${CPU_SECONDS} s) at ${elapsed()}`);
  const edgedRate = packetRate(piped[0]!);
  const edged = await measureCpu(groups, CPU_SECONDS);
  const edgedPps = edgedRate();
  await Promise.all(viewers.splice(0).map((v) => v.close()));
  results.cpu = { idle, single, relayWindow, edged, singlePps, edgedPps };
  results.relay = {
    frames: delay.frames,
    unmatched: delay.unmatched,
    edge: summarize(delay.edge),
    direct: summarize(delay.direct),
  };

  // 4. Failover: a page-like viewer already watching on an edge, and from the kill, viewers POSTing again on both edges.
  log(`  kill -9 of ${origin.nodeId} at ${elapsed()}`);
  const page = new PageLikeViewer(edge2, showId);
  await page.start();
  await sleep(1_000);
  const originChildren = descendants(origin.pid);
  cluster.remember();
  const killedAtMs = performance.now();
  const killed = origin.kill();
  page.armedAtMs = killedAtMs;
  const takeover = until(
    () => api<{ node: string; state: string }>(edge, `/api/shows/${showId}`, { timeoutMs: 1_000 }),
    (r) => r.status === 200 && r.body.state === 'live' && r.body.node !== origin.nodeId,
    FAILOVER_TIMEOUT_MS,
    'the show is live on another node',
    25,
  ).then(
    (moved) => ({ ms: performance.now() - killedAtMs, node: moved.body.node }),
    (error: Error) => ({ error: error.message }),
  );
  const [tookOver, ...reposts] = await Promise.all([
    takeover,
    ...[edge, edge2].map((n) =>
      repostUntilPlaying(n, showId, killedAtMs, {
        everyMs: REPOST_MS,
        timeoutMs: FAILOVER_TIMEOUT_MS,
      }),
    ),
  ]);
  await killed;
  while (page.recoveredAtMs === undefined && performance.now() - killedAtMs < FAILOVER_TIMEOUT_MS)
    await sleep(20);
  const pageGapMs = page.recoveredAtMs === undefined ? undefined : page.recoveredAtMs - killedAtMs;
  await page.stop();
  await sleep(1_000);
  const orphans = originChildren.filter((c) => cluster.leftovers().some((l) => l.pid === c.pid));
  results.failover = {
    tookOver,
    reposts,
    page: { gapMs: pageGapMs, reasons: page.reasons, servedBy: page.servedBy },
    orphans,
  };

  // Report.
  log('');
  log(
    `bench:cluster results (${new Date().toISOString().slice(0, 10)}, ${os.availableParallelism()} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  const role = (id: string) => (id === origin.nodeId ? 'origin' : 'edge');
  const pick = (f: (s: SocketSample) => boolean) =>
    summarize(sockets.samples.filter(f).map((s) => s.ms));
  log(
    `1. event → overlay: host HTTP request sent → viewer socket receives; ${sockets.sockets} sockets (${SOCKETS_PER_NODE} per node), ${sockets.events} events (¾ shared overlays, ¼ poll launches), ${sockets.missed} missed`,
  );
  for (const host of [origin, edge])
    for (const n of nodes)
      log(
        formatSummary(
          `   host on ${host.nodeId} (${role(host.nodeId)}), viewers on ${n.nodeId} (${role(n.nodeId)})`,
          pick((x) => x.hostNode === host.nodeId && x.viewerNode === n.nodeId),
        ),
      );
  for (const kind of ['shared overlay', 'poll'] as const)
    log(
      formatSummary(
        `   ${kind}, all nodes`,
        pick((x) => x.kind === kind),
      ),
    );
  const worstP99 = Math.max(...nodes.map((n) => pick((x) => x.viewerNode === n.nodeId).p99));
  log(
    `   target p99 ≤ 50 ms on every node: worst node p99 ${worstP99.toFixed(1)} ms — ${verdict(worstP99 <= 50 && sockets.missed === 0)}`,
  );
  log(
    `1b. a viewer's own event (CTA dismissal, or a heartbeat with nothing on screen) → ack / → the overlay it led to; ${viewerEvents.events} events, ${viewerEvents.failed} failed`,
  );
  for (const n of nodes) {
    const of = (kind: 'ack' | 'overlay') =>
      summarize(
        viewerEvents.samples
          .filter((x) => x.viewerNode === n.nodeId && x.kind === kind)
          .map((x) => x.ms),
      );
    log(formatSummary(`   viewers on ${n.nodeId} (${role(n.nodeId)}), event → ack`, of('ack')));
    log(
      formatSummary(
        `   viewers on ${n.nodeId} (${role(n.nodeId)}), event → overlay`,
        of('overlay'),
      ),
    );
    log(
      formatSummary(
        `   decided on ${n.nodeId} (${role(n.nodeId)}), engine time (audit latencyMs)`,
        summarize(viewerEvents.decisionMsByNode[n.nodeId] ?? []),
      ),
    );
  }

  log(
    `2. relay delay: first packet of each video frame at an edge viewer − the ${VIEWERS_PER_NODE} direct viewers' median; ${delay.frames} frames matched (${delay.unmatched} unmatched)`,
  );
  const edgeDelay = summarize(delay.edge);
  log(formatSummary(`   edge (${edge.nodeId}) − direct (${origin.nodeId})`, edgeDelay));
  log(formatSummary('   baseline: direct − direct median (same frames)', summarize(delay.direct)));
  log(
    `   the workers meanwhile, waiting to run: ${nodes
      .slice(0, 2)
      .map(
        (n) =>
          `${n.nodeId} ${relayWindow.waitMsPerS[`${n.nodeId} worker`]!.toFixed(0)} ms/s, ${relayWindow.waitMsPerSlice[`${n.nodeId} worker`]!.toFixed(2)} ms per wake-up`,
      )
      .join('; ')}`,
  );
  log(
    `   target ≤ 5 ms added at p95: ${edgeDelay.p95.toFixed(2)} ms — ${verdict(edgeDelay.p95 <= 5)}`,
  );

  const originWorker = `${origin.nodeId} worker`;
  const edgeWorker = `${edge.nodeId} worker`;
  const perViewer = (w: CpuWindow, name: string, sched = false) =>
    ((sched ? w.schedCores : w.cores)[name]! - (sched ? idle.schedCores : idle.cores)[name]!) /
    VIEWERS_PER_NODE;
  log(
    `3. CPU, % of one core over ${CPU_SECONDS} s windows, utime+stime [schedstat]; per viewer = (with N − with 0) / N, N = ${VIEWERS_PER_NODE}`,
  );
  log('   process          0 viewers            N on origin          N on edge, alone');
  const cell = (w: CpuWindow, name: string) =>
    `${pct(w.cores[name]!)} [${pct(w.schedCores[name]!)}]`.padEnd(21);
  for (const name of Object.keys(groups))
    log(
      `   ${name.padEnd(16)} ${cell(idle, name)}${cell(single, name)}${cell(edged, name)}`.trimEnd(),
    );
  const originPer = perViewer(single, originWorker);
  const edgePer = perViewer(edged, edgeWorker);
  const ratio = edgePer / originPer;
  const schedRatio = perViewer(edged, edgeWorker, true) / perViewer(single, originWorker, true);
  log(
    `   mediasoup worker per viewer: single node (origin) ${pct(originPer)} [${pct(perViewer(single, originWorker, true))}], edge (import included) ${pct(edgePer)} [${pct(perViewer(edged, edgeWorker, true))}]`,
  );
  log(
    `   packets a viewer got in those windows: N on origin ${singlePps.video.toFixed(1)} video + ${singlePps.audio.toFixed(1)} audio /s, N on edge ${edgedPps.video.toFixed(1)} + ${edgedPps.audio.toFixed(1)} /s; edge ratio per packet forwarded ${(edgePer / (edgedPps.video + edgedPps.audio) / (originPer / (singlePps.video + singlePps.audio))).toFixed(2)}×`,
  );
  log(
    `   Node.js process per viewer: origin ${pct(perViewer(single, `${origin.nodeId} node`))}, edge ${pct(perViewer(edged, `${edge.nodeId} node`))}`,
  );
  log(
    `   the origin worker with ${exportsNow} export(s), 0 viewers, less 0 viewers: ${pct(edged.cores[originWorker]! - idle.cores[originWorker]!)} [${pct(edged.schedCores[originWorker]! - idle.schedCores[originWorker]!)}]`,
  );
  log(
    `   target edge ≤ 1.1× single node: ${ratio.toFixed(3)}× [${schedRatio.toFixed(3)}×] — ${verdict(ratio <= 1.1)}`,
  );

  // The origin's encoder steps down under CPU overload (fewer pictures, lower bitrate): that changes what each window forwards.
  const degraded = readFileSync(origin.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.includes('degradation level changed'))
    .flatMap((line) => {
      try {
        return [
          JSON.parse(line) as {
            time: number;
            level: number;
            video: { fps: number; pictureRate?: number };
          },
        ];
      } catch {
        return [];
      }
    })
    .map(
      (e) =>
        `+${((e.time - runStartedAt) / 1000).toFixed(0)} s level ${e.level} (${e.video.pictureRate ?? e.video.fps} pictures/s)`,
    );
  log(`   the origin's overload degradation during the run: ${degraded.join(', ') || 'none'}`);

  log(`4. failover: kill -9 of ${origin.nodeId}`);
  const took = tookOver as { ms?: number; node?: string; error?: string };
  log(
    `   takeover (GET /api/shows/:id on ${edge.nodeId} says live on another node): ${took.ms !== undefined ? `${took.ms.toFixed(0)} ms, on ${took.node}` : took.error}`,
  );
  [edge, edge2].forEach((n, i) => {
    const r = reposts[i]!;
    log(
      `   viewer on ${n.nodeId} POSTing again every ${REPOST_MS} ms from the kill → first video packet: ${r.gapMs !== undefined ? `${r.gapMs.toFixed(0)} ms` : 'none'} (${r.attempts} POSTs: ${Object.entries(
        r.statuses,
      )
        .map(([s, c]) => `${c}× ${s}`)
        .join(', ')})`,
    );
  });
  log(
    `   page-like viewer on ${edge2.nodeId} → first video packet: ${pageGapMs !== undefined ? `${pageGapMs.toFixed(0)} ms` : 'none'}, served by ${page.servedBy}; reconnects: ${page.reasons.join('; ') || 'none'}`,
  );
  if (orphans.length)
    log(
      `   left running by the killed node (killed now): ${orphans.map((o) => `${o.comm}(${o.pid})`).join(', ')}`,
    );
  const gaps = reposts.map((r) => r.gapMs ?? Number.POSITIVE_INFINITY);
  const worstGap = Math.max(...gaps);
  log(
    `   target gap ≤ 5 s: re-POSTing viewers, worst edge ${worstGap.toFixed(0)} ms — ${verdict(worstGap <= 5_000)}; page-like viewer ${pageGapMs === undefined ? 'did not recover' : `${pageGapMs.toFixed(0)} ms — ${verdict(pageGapMs <= 5_000)}`}`,
  );

  const dir = path.join(ROOT_DIR, 'var/bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  log(`  total ${elapsed()}; the whole result: ${path.relative(ROOT_DIR, file)}`);
} catch (error) {
  console.error(`bench:cluster failed at ${elapsed()}: ${(error as Error).stack ?? String(error)}`);
  console.error(`node logs: ${cluster.nodes.map((n) => n.logFile).join(' ')}`);
  exitCode = 1;
} finally {
  await Promise.all(viewers.map((v) => v.close()));
  await cluster.close(exitCode !== 0);
}
process.exit(exitCode);
