/**
 * Fan-out benchmark: N werift viewers on loopback against OnAir's werift SFU and against
 * Janus' streaming plugin, both fed the same synthetic ~1 Mbps VP8 + Opus RTP at once.
 *
 *   npx tsx bench/fanout/index.ts
 *
 * Env: FANOUT_N=25,50,100,200  FANOUT_SECONDS=15  FANOUT_TARGETS=onair,janus
 *      FANOUT_SETTLE_SECONDS=3  FANOUT_CONNECT_TIMEOUT=30  FANOUT_IDLE_SECONDS=5
 *      FANOUT_ONAIR_SHARDS=<egress workers>  FANOUT_MAX_MINUTES=<hard stop, default from the plan>
 *
 * Processes: this orchestrator (signalling only, idle while measuring), the RTP source,
 * the OnAir SFU, Janus, and one load generator per step. SFU CPU is read from /proc for the
 * SFU's pid (all its threads); the load generator and source report theirs, and /proc/stat
 * gives the whole machine's busy share so a saturated step is flagged, not trusted.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import {
  NOMINAL_BITRATE,
  readConfig,
  STREAM,
  type FanoutConfig,
  type TargetName,
} from './config.js';
import { isType, spawnTsChild, stopChild, waitForMessage } from './ipc.js';
import { startJanus, type JanusInstance } from './janus.js';
import { NetnsUnavailableError } from './netns.js';
import {
  cpuPercent,
  hostBusyPercent,
  hostSoftirqPercent,
  RssWatcher,
  sampleHost,
  sampleProcess,
  sampleUdp,
} from './procStats.js';
import type {
  LoadgenArgs,
  LoadgenConnected,
  LoadgenTarget,
  LoadgenWindow,
  OnairReady,
  SourceDestination,
} from './protocol.js';
import { printReport, type IdleResult, type StepResult } from './report.js';

const config = readConfig();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** NaN crosses IPC as null (JSON), so format defensively. */
const fx = (v: number | null | undefined, digits = 1) =>
  typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : 'n/a';

/** A hard stop for the whole run, generous against the plan (connect + settle + window + teardown per step). */
const plannedSeconds =
  30 +
  config.targets.length *
    (config.idleSeconds +
      config.viewerCounts.length *
        (config.connectTimeoutSeconds + config.settleSeconds + config.measureSeconds + 35));
const maxMinutes = Number(process.env.FANOUT_MAX_MINUTES ?? Math.ceil(plannedSeconds / 60) + 2);
const hardStop = setTimeout(() => {
  console.error(`fan-out bench: hard stop after ${maxMinutes} min`);
  process.exit(2);
}, maxMinutes * 60_000);
hardStop.unref();

interface Target {
  name: TargetName;
  pid: number;
  /** Set when the SFU runs in its own network namespace: its UDP counters are read via this pid. */
  netnsPid?: number;
  loadgenTarget: LoadgenTarget;
  viewerCount(): Promise<number | undefined>;
  stop(): Promise<void>;
}

async function startOnair(): Promise<Target & { rtpPort: number; shards: number }> {
  const env = {
    ...process.env,
    ...(config.onairShards ? { FANOUT_ONAIR_SHARDS: String(config.onairShards) } : {}),
  };
  const child = spawnTsChild('onairSfuProcess', [], { env }, config.pin?.sfu);
  const ready = await waitForMessage(child, isType<OnairReady>('ready'), 30_000, 'onair SFU');
  const url = `http://127.0.0.1:${ready.httpPort}`;
  return {
    name: 'onair',
    pid: child.pid!,
    rtpPort: ready.rtpPort,
    shards: ready.shards,
    loadgenTarget: { kind: 'onair', url },
    async viewerCount() {
      const response = await fetch(`${url}/stats`, { signal: AbortSignal.timeout(5000) }).catch(
        () => undefined,
      );
      return response?.ok ? ((await response.json()) as { viewers: number }).viewers : undefined;
    },
    stop: () => stopChild(child),
  };
}

function janusTarget(janus: JanusInstance): Target {
  return {
    name: 'janus',
    pid: janus.pid,
    netnsPid: janus.pid,
    loadgenTarget: {
      kind: 'janus',
      apiUrl: janus.apiUrl,
      mountpointId: janus.mountpointId,
      localAddress: janus.viewerAddress,
    },
    async viewerCount() {
      return undefined; // the streaming plugin's 'info' needs the admin secret; sessions are destroyed explicitly
    },
    stop: () => janus.stop(),
  };
}

/** Host UDP counters plus those of every SFU that runs in its own namespace. */
function sampleUdpAll(targets: Target[]): { rcvbufErrors: number } {
  let rcvbufErrors = sampleUdp().rcvbufErrors;
  for (const t of targets) if (t.netnsPid) rcvbufErrors += sampleUdp(t.netnsPid).rcvbufErrors;
  return { rcvbufErrors };
}

async function measureIdle(target: Target, source: ChildProcess): Promise<IdleResult> {
  const a = sampleProcess(target.pid);
  const s = sampleProcess(source.pid!);
  await sleep(config.idleSeconds * 1000);
  const b = sampleProcess(target.pid);
  return {
    target: target.name,
    seconds: (b.atMs - a.atMs) / 1000,
    cpuPercent: cpuPercent(a, b),
    rssMB: b.rssBytes / 2 ** 20,
    sourceCpuPercent: cpuPercent(s, sampleProcess(source.pid!)),
  };
}

async function runStep(
  target: Target,
  viewers: number,
  idle: IdleResult | undefined,
  source: ChildProcess,
  others: Target[],
): Promise<StepResult> {
  const args: LoadgenArgs = {
    target: target.loadgenTarget,
    viewers,
    connectTimeoutMs: config.connectTimeoutSeconds * 1000,
  };
  const loadgen = spawnTsChild('loadgenProcess', [JSON.stringify(args)], {}, config.pin?.load);
  try {
    const connected = await waitForMessage(
      loadgen,
      isType<LoadgenConnected>('connected'),
      (config.connectTimeoutSeconds + 20) * 1000,
      `${target.name} load generator`,
    );
    console.log(
      `  ${target.name} N=${viewers}: ${connected.connected} connected, ${connected.failed} failed in ${(connected.setupMs / 1000).toFixed(1)} s` +
        (connected.errors.length ? ` (${connected.errors.join('; ')})` : ''),
    );
    await sleep(config.settleSeconds * 1000);

    const rss = new RssWatcher(target.pid);
    const host0 = sampleHost();
    const udp0 = sampleUdpAll([target, ...others]);
    const self0 = process.cpuUsage();
    const sfu0 = sampleProcess(target.pid);
    const src0 = sampleProcess(source.pid!);
    const load0 = sampleProcess(loadgen.pid!);
    const others0 = others.map((t) => sampleProcess(t.pid));
    loadgen.send({ type: 'openWindow' });
    await sleep(config.measureSeconds * 1000);
    const windowReply = waitForMessage(
      loadgen,
      isType<LoadgenWindow>('window'),
      15_000,
      'load generator window',
    );
    loadgen.send({ type: 'closeWindow' });
    const sfu1 = sampleProcess(target.pid);
    const src1 = sampleProcess(source.pid!);
    const load1 = sampleProcess(loadgen.pid!);
    const others1 = others.map((t) => sampleProcess(t.pid));
    const self1 = process.cpuUsage(self0);
    const udp1 = sampleUdpAll([target, ...others]);
    const host1 = sampleHost();
    const window = await windowReply;
    rss.stop();

    const sfuCpu = cpuPercent(sfu0, sfu1);
    const delay = window.delay;
    for (const key of ['p50', 'p95', 'p99', 'max'] as const) delay[key] = delay[key] ?? Number.NaN;
    const n = window.receivingViewers || window.connectedViewers || viewers;
    const lossPercent =
      window.packetsExpected > 0 ? (window.packetsLost / window.packetsExpected) * 100 : Number.NaN;
    const hostBusy = hostBusyPercent(host0, host1);
    const cores = os.availableParallelism();
    const sourceCpu = cpuPercent(src0, src1);
    const loadgenCpu = cpuPercent(load0, load1);
    const otherSfuCpu = others0.reduce((sum, a, i) => sum + cpuPercent(a, others1[i]!), 0);
    const orchestratorCpu =
      ((self1.user + self1.system) / 1e6 / ((sfu1.atMs - sfu0.atMs) / 1000)) * 100;
    const attributed = sfuCpu + loadgenCpu + sourceCpu + otherSfuCpu + orchestratorCpu;
    const cpuPerViewer = sfuCpu / n;
    const unattributed = hostBusy * cores - attributed;
    const notClean =
      window.packetsExpected === 0
        ? 'no media'
        : window.packetsLost > 0
          ? 'loss'
          : hostBusy > 90
            ? 'host saturated'
            : unattributed > config.maxUnattributedPercent
              ? 'other load'
              : !(delay.p95 <= config.cleanDelayP95Ms)
                ? 'delay'
                : undefined;
    const clean = notClean === undefined;
    const result: StepResult = {
      target: target.name,
      viewersRequested: viewers,
      connected: connected.connected,
      failed: connected.failed,
      connectErrors: connected.errors,
      setupSeconds: connected.setupMs / 1000,
      receivingViewers: window.receivingViewers,
      windowSeconds: window.seconds,
      sfuCpuPercent: sfuCpu,
      cpuPerViewerPercent: cpuPerViewer,
      marginalCpuPerViewerPercent: idle ? (sfuCpu - idle.cpuPercent) / n : Number.NaN,
      viewersPerCore: clean && cpuPerViewer > 0 ? 100 / cpuPerViewer : null,
      notClean,
      sfuRssMB: sfu1.rssBytes / 2 ** 20,
      sfuPeakRssMB: Math.max(rss.peakBytes, sfu1.rssBytes) / 2 ** 20,
      packetsExpected: window.packetsExpected,
      packetsReceived: window.packetsReceived,
      packetsLost: window.packetsLost,
      lossPercent,
      minViewerPackets: window.minViewerPackets,
      delay: window.delay,
      delaySamplesSeen: window.delaySamplesSeen,
      loadgenCpuPercent: loadgenCpu,
      loadgenSelfReportedCpuPercent: window.cpuPercent,
      loadgenRssMB: window.rssBytes / 2 ** 20,
      sourceCpuPercent: sourceCpu,
      otherSfuCpuPercent: otherSfuCpu,
      orchestratorCpuPercent: orchestratorCpu,
      hostBusyPercent: hostBusy,
      hostSoftirqCorePercent: hostSoftirqPercent(host0, host1) * cores,
      unattributedCorePercent: unattributed,
      hostSaturated: hostBusy > 90,
      udpRcvbufDrops: udp1.rcvbufErrors - udp0.rcvbufErrors,
    };
    console.log(
      `    SFU ${fx(sfuCpu)}% core, ${fx(cpuPerViewer, 3)}%/viewer, loss ${fx(lossPercent, 3)}%, ` +
        `delay p50/p95/p99 ${fx(window.delay.p50)}/${fx(window.delay.p95)}/${fx(window.delay.p99)} ms, ` +
        `loadgen ${fx(loadgenCpu, 0)}% core, host ${fx(hostBusy, 0)}% busy (${fx(unattributed, 0)}% core outside our processes), ` +
        `kernel UDP drops ${udp1.rcvbufErrors - udp0.rcvbufErrors}`,
    );
    return result;
  } finally {
    const tornDown = waitForMessage(
      loadgen,
      isType<{ type: 'tornDown' }>('tornDown'),
      30_000,
      'load generator teardown',
    ).catch((error: Error) => console.warn(`  ${error.message}`));
    if (loadgen.connected) loadgen.send({ type: 'teardown' });
    await tornDown;
    await stopChild(loadgen);
    // Let the SFU notice the departures before the next step.
    for (let i = 0; i < 20; i++) {
      const left = await target.viewerCount();
      if (left === undefined || left === 0) break;
      await sleep(500);
    }
    await sleep(2000);
  }
}

async function main(cfg: FanoutConfig): Promise<void> {
  console.log(
    `fan-out bench: N=${cfg.viewerCounts.join(',')} targets=${cfg.targets.join(',')} window=${cfg.measureSeconds}s, ` +
      `stream ${(NOMINAL_BITRATE / 1e6).toFixed(2)} Mbps (${STREAM.fps} fps x ${STREAM.packetsPerFrame} x ${STREAM.videoPacketBytes} B + Opus/${STREAM.audioIntervalMs} ms), ` +
      `${os.availableParallelism()} cores`,
  );
  const targets: Target[] = [];
  const destinations: SourceDestination[] = [];
  let janusError: string | undefined;
  let onairShards: number | undefined;
  let source: ChildProcess | undefined;
  try {
    for (const name of cfg.targets) {
      if (name === 'onair') {
        const onair = await startOnair();
        onairShards = onair.shards;
        targets.push(onair);
        destinations.push({
          host: '127.0.0.1',
          bind: '127.0.0.1',
          video: onair.rtpPort,
          audio: onair.rtpPort,
        });
        console.log(
          `onair SFU pid ${onair.pid}, ingest 127.0.0.1:${onair.rtpPort}, ${onair.shards} egress shards`,
        );
      } else {
        let janus: JanusInstance;
        try {
          janus = await startJanus({ cpus: config.pin?.sfu });
        } catch (error) {
          janusError = (error as Error).message;
          const what =
            error instanceof NetnsUnavailableError
              ? 'janus target skipped'
              : 'janus failed to start';
          console.error(`${what}: ${janusError}`);
          continue;
        }
        targets.push(janusTarget(janus));
        destinations.push({
          host: janus.rtpAddress,
          bind: janus.viewerAddress,
          video: janus.videoPort,
          audio: janus.audioPort,
        });
        console.log(
          `janus pid ${janus.pid} in netns ${janus.netns.name} (veth ${janus.netns.hostIf} ${janus.netns.hostAddress} <-> ${janus.netns.nsIf} ${janus.netns.nsAddress}), ` +
            `api ${janus.apiUrl}, rtp video ${janus.videoPort} audio ${janus.audioPort}, log ${janus.logFile}`,
        );
      }
    }
    if (targets.length === 0) throw new Error('no SFU could be started');
    const maxSourceSeconds = String(maxMinutes * 60 + 60);
    source = spawnTsChild(
      'sourceProcess',
      [JSON.stringify(destinations)],
      { env: { ...process.env, FANOUT_SOURCE_MAX_SECONDS: maxSourceSeconds } },
      cfg.pin?.load,
    );
    await waitForMessage(source, isType<{ type: 'ready' }>('ready'), 15_000, 'rtp source');
    await sleep(2000);

    const idle = new Map<TargetName, IdleResult>();
    if (cfg.idleSeconds > 0) {
      for (const target of targets) {
        const result = await measureIdle(target, source);
        idle.set(target.name, result);
        console.log(
          `idle ${target.name}: ${result.cpuPercent.toFixed(2)}% core, ${result.rssMB.toFixed(0)} MB`,
        );
      }
    }

    const steps: StepResult[] = [];
    for (const n of cfg.viewerCounts) {
      console.log(`N=${n}`);
      for (const target of targets) {
        try {
          steps.push(
            await runStep(
              target,
              n,
              idle.get(target.name),
              source,
              targets.filter((t) => t !== target),
            ),
          );
        } catch (error) {
          console.error(`  ${target.name} N=${n} failed: ${(error as Error).message}`);
        }
      }
    }

    const report = {
      startedAt: new Date(Date.now() - performance.now()).toISOString(),
      host: {
        cores: os.availableParallelism(),
        cpu: os.cpus()[0]?.model,
        node: process.version,
        platform: `${os.type()} ${os.release()}`,
      },
      config: cfg,
      stream: { ...STREAM, nominalBitrate: NOMINAL_BITRATE },
      onairShards,
      ...(janusError ? { janusError } : {}),
      idle: [...idle.values()],
      steps,
    };
    const ratios = printReport(report);
    const dir = path.join(ROOT_DIR, 'var', 'bench');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `fanout-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...report, ratios }, null, 2));
    console.log(`\nwrote ${path.relative(process.cwd(), file)}`);
  } finally {
    if (source) await stopChild(source);
    await Promise.all(targets.map((t) => t.stop().catch(() => undefined)));
  }
}

await main(config);
process.exit(0);
