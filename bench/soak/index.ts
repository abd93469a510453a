/**
 * npm run soak — one show under a steady audience for SOAK_MINUTES (30): WebRTC viewers
 * (werift, page-like) and socket viewers sending events, from load processes of their own;
 * a cue every 10 s and a poll every 2 minutes from the host. Reports minute by minute the
 * server's RSS and CPU, event → overlay p99, viewers playing and dropped, packet loss and
 * playout lag, then a verdict per target. SOAK_CHAOS=1 adds the drills (chaos.ts): the encoder
 * killed 10 times, the mediasoup worker killed, Redis restarted, a batch worker killed.
 * Settings: bench/soak/config.ts and docs/benchmarks.md ("Soak").
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { api } from '../cluster/cluster.js';
import { ShowActivity } from './activity.js';
import { ChaosDrills, chaosPlan } from './chaos.js';
import { epochMs } from './clock.js';
import { loadSoakConfig } from './config.js';
import { JobTracker } from './jobs.js';
import { LoadProcess } from './loadProcess.js';
import type { SocketTick, WebrtcTick } from './protocol.js';
import { SoakRecorder } from './recorder.js';
import { MINUTE_HEADER, minuteLine, renderReport } from './report.js';
import { SoakStack } from './stack.js';

const config = loadSoakConfig();
const log = (line: string) => console.error(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A drop this long after a fault is the fault's (chaos.ts waits at most 15 s). */
const FAULT_WINDOW_MS = 16_000;

const loads: LoadProcess[] = [];
let stack: SoakStack | undefined;
// Whatever happens, nothing this run started outlives it.
process.once('exit', () => {
  for (const load of loads) load.killNow();
  stack?.killNow();
});
// Ctrl-C: the first ends the soak early with a report of what ran (the terminal's SIGINT also stops the
// server and Redis, which share this process group); a second one exits at once.
let stopEarly = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (stopEarly) process.exit(130);
    stopEarly = true;
    log('soak: stopping early (again to exit at once)');
  });

const notes: string[] = [];
let exitCode = 0;
try {
  log(
    `soak: ${config.minutes} min, ${config.webrtcViewers} WebRTC + ${config.socketViewers} socket viewers, chaos ${config.chaos ? 'on' : 'off'}, ${os.availableParallelism()} cores`,
  );
  stack = await SoakStack.start(config);
  const node = stack.node;
  log(
    `  server pid ${node.pid} at ${node.url} (log ${node.logFile}), redis ${stack.redis.url}, batch worker pid ${stack.workers[0]!.child.pid}`,
  );
  const created = await api<{ id: string }>(node, '/api/shows', {
    method: 'POST',
    json: { title: 'soak' },
  });
  if (created.status !== 201)
    throw new Error(`create show: ${created.status} ${JSON.stringify(created.body)}`);
  const showId = created.body.id;

  const recorder = new SoakRecorder(() => node.pid);
  for (let i = 0, n = 0; n < config.socketViewers; i++, n += config.socketPerProcess) {
    const count = Math.min(config.socketPerProcess, config.socketViewers - n);
    const source = `sockets-${i}`;
    loads.push(
      await LoadProcess.start<SocketTick>(
        source,
        'socketLoad.ts',
        { url: node.url, showId, count, eventIntervalMs: config.eventIntervalMs },
        (t) => recorder.onSocket(source, t),
        120_000,
      ),
    );
    log(`  ${source}: ${count} socket viewers joined`);
  }
  for (let i = 0, n = 0; n < config.webrtcViewers; i++, n += config.webrtcPerProcess) {
    const count = Math.min(config.webrtcPerProcess, config.webrtcViewers - n);
    const source = `webrtc-${i}`;
    loads.push(
      await LoadProcess.start<WebrtcTick>(
        source,
        'webrtcLoad.ts',
        { url: node.url, showId, count, firstViewer: n, lagEvery: config.lagEvery },
        (t) => recorder.onWebrtc(source, t),
        180_000,
      ),
    );
    log(`  ${source}: ${count} WebRTC viewers playing`);
  }
  notes.push(
    `Load: ${loads.length} processes on this machine (WebRTC ${Math.ceil(config.webrtcViewers / config.webrtcPerProcess)} × ≤${config.webrtcPerProcess}, sockets ${Math.ceil(config.socketViewers / config.socketPerProcess)} × ≤${config.socketPerProcess}); playout lag sampled on every ${config.lagEvery}th WebRTC viewer, 4 times a second. SFU backend: mediasoup with one worker (werift's egress shards are threads, not processes a drill can kill).`,
  );

  const jobs = new JobTracker(node.url);
  jobs.follow();
  const activity = new ShowActivity(node.url, showId);
  activity.start(config.cueEveryMs, config.pollEveryMs);
  recorder.start();
  let serverGone = false;
  void node.exited.then(() => (serverGone = true));
  const totalMs = config.minutes * 60_000;

  const drills = new ChaosDrills(
    stack,
    recorder,
    jobs,
    config.webrtcViewers,
    config.jobsPerDrill,
    config.redisDownMs,
  );
  const chaos = (async () => {
    if (!config.chaos) return;
    const plan = chaosPlan(config.encoderKills);
    const fromMs = Math.max(20_000, totalMs * 0.2);
    const spacingMs = (totalMs - 25_000 - fromMs) / plan.length;
    for (const [i, kind] of plan.entries()) {
      while (recorder.elapsedMs < fromMs + i * spacingMs && !stopEarly && !serverGone)
        await sleep(100);
      if (stopEarly || serverGone || recorder.elapsedMs > totalMs - 20_000)
        return void notes.push(
          `Chaos: ${plan.length - i} drill(s) not run (the soak ended first).`,
        );
      const fault = await drills.run(kind);
      log(
        `  ${fault.name}: ${fault.error ?? fault.detail}; ${fault.affected} viewers affected, recovery p95 ${fault.recoveryP95Ms?.toFixed(0) ?? '-'} ms, max ${fault.recoveryMaxMs?.toFixed(0) ?? '-'} ms, ${fault.notRecovered} not recovered, ${fault.drops} re-POSTed`,
      );
    }
  })();

  console.log(MINUTE_HEADER.join('\n'));
  let printed = 0;
  while (recorder.elapsedMs < totalMs && !stopEarly && !serverGone) {
    await sleep(500);
    for (; printed < Math.min(config.minutes, Math.floor(recorder.elapsedMs / 60_000)); printed++)
      console.log(minuteLine(recorder.minutes[printed]!));
    stack.cluster.remember();
  }
  if (serverGone) {
    notes.push(`**The server process exited during the soak** (log kept: ${node.logFile}).`);
    exitCode = 1;
  }
  activity.stop();
  await chaos;
  recorder.stop();
  if (printed < recorder.minutes.length && printed < config.minutes)
    console.log(minuteLine(recorder.minutes[printed]!));
  log(
    `  waiting for ${jobs.jobs.filter((j) => j.finishedAtMs === undefined).length} batch job(s) to finish`,
  );
  await jobs.settle(60_000);
  drills.jobOutcomes();
  const finishedAt = epochMs();
  await Promise.all(loads.map((l) => l.stop()));

  const { markdown, ok } = renderReport({
    config,
    startedAt: new Date(recorder.startMs).toISOString(),
    cores: os.availableParallelism(),
    showId,
    soakStartMs: recorder.startMs,
    minutes: recorder.minutes.slice(0, config.minutes),
    drops: recorder.drops,
    faults: drills.faults,
    activity: activity.counts,
    faultWindowMs: FAULT_WINDOW_MS,
    notes: [
      ...notes,
      ...(stopEarly
        ? [`Stopped early after ${((finishedAt - recorder.startMs) / 60_000).toFixed(1)} min.`]
        : []),
    ],
  });
  console.log('');
  console.log(markdown);
  if (config.report) writeFileSync(config.report, `${markdown}\n`);
  if (!ok) exitCode = exitCode || 2;
} catch (error) {
  log(`soak failed: ${(error as Error).stack ?? String(error)}`);
  if (stack) log(`server log: ${stack.node.logFile}`);
  exitCode = 1;
} finally {
  await Promise.all(loads.map((l) => l.stop()));
  await stack?.close(exitCode === 1);
}
process.exit(exitCode);
