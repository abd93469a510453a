/**
 * Fan-out benchmark: N werift viewers on loopback against OnAir's two SFU backends (mediasoup
 * and werift) and against Janus' streaming plugin, all fed the same synthetic ~1 Mbps VP8 +
 * Opus RTP at once.
 *
 *   npx tsx bench/fanout/index.ts
 *
 * Env: FANOUT_N=50,100,200,300,400  FANOUT_SECONDS=15  FANOUT_TARGETS=mediasoup,werift,janus
 *      FANOUT_SETTLE_SECONDS=3  FANOUT_CONNECT_TIMEOUT=30  FANOUT_IDLE_SECONDS=5
 *      FANOUT_ONAIR_SHARDS=<werift egress workers>  FANOUT_MEDIASOUP_WORKERS=<worker processes>
 *      FANOUT_LOADGEN_MODE=raw|werift  FANOUT_LOADGEN_PROCS=auto|<n>  FANOUT_VIEWERS_PER_LOADGEN=250
 *      FANOUT_DELAY_EVERY=auto|<n>  FANOUT_MAX_MINUTES=<hard stop, default from the plan>
 *
 * Processes: this orchestrator (signalling only, idle while measuring), the RTP source, the
 * two OnAir SFU processes (mediasoup's with its worker child processes), Janus, and one or
 * more load generators per step. SFU CPU is read from /proc for the SFU's process tree (all
 * threads of the SFU process and of its descendants); the load generators and source are read
 * the same way, and /proc/stat gives the whole machine's busy share so a saturated step is
 * flagged, not trusted.
 */
import type { ChildProcess } from 'node:child_process';
import { summarize } from '../../lib/percentiles.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import {
  DELAY_DECRYPTS_PER_SECOND,
  MAX_DELAY_EVERY,
  NOMINAL_BITRATE,
  PACKETS_PER_SECOND,
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
  processTree,
  RssWatcher,
  sampleHost,
  sampleProcess,
  sampleProcesses,
  sampleUdp,
  type ProcSample,
} from './procStats.js';
import type {
  LoadgenArgs,
  LoadgenConnected,
  LoadgenTarget,
  LoadgenWindow,
  OnairReady,
  SourceDestination,
} from './protocol.js';
import { mergeReservoirs, printReport, type IdleResult, type StepResult } from './report.js';

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

/** A single-threaded process above this share of one core is saturated. */
const PROCESS_SATURATED_PERCENT = 90;

interface Target {
  name: TargetName;
  /** The SFU's process; its CPU and RSS are summed with those of its descendants. */
  pid: number;
  /** Set when the SFU runs in its own network namespace: its UDP counters are read via this pid. */
  netnsPid?: number;
  loadgenTarget: LoadgenTarget;
  viewerCount(): Promise<number | undefined>;
  stop(): Promise<void>;
}

async function startOnair(
  backend: 'werift' | 'mediasoup',
): Promise<Target & { rtpPort: number; sourcePort: number; shards: number; note: string }> {
  const env = {
    ...process.env,
    ...(config.onairShards ? { FANOUT_ONAIR_SHARDS: String(config.onairShards) } : {}),
    ...(config.mediasoupWorkers
      ? { FANOUT_MEDIASOUP_WORKERS: String(config.mediasoupWorkers) }
      : {}),
  };
  const child = spawnTsChild('onairSfuProcess', [backend], { env }, config.pin?.sfu);
  const ready = await waitForMessage(child, isType<OnairReady>('ready'), 30_000, `${backend} SFU`);
  const url = `http://127.0.0.1:${ready.httpPort}`;
  return {
    name: backend,
    pid: child.pid!,
    rtpPort: ready.rtpPort,
    sourcePort: ready.sourcePort,
    shards: ready.shards,
    note: ready.note,
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
  const pids = processTree(target.pid);
  const a = sampleProcesses(pids);
  const s = sampleProcess(source.pid!);
  await sleep(config.idleSeconds * 1000);
  const b = sampleProcesses(pids);
  return {
    target: target.name,
    processes: pids.length,
    seconds: (b.atMs - a.atMs) / 1000,
    cpuPercent: cpuPercent(a, b),
    rssMB: b.rssBytes / 2 ** 20,
    sourceCpuPercent: cpuPercent(s, sampleProcess(source.pid!)),
  };
}

/** How many load generator processes a step of n viewers gets. */
function loadgenCount(n: number): number {
  if (config.loadgenProcesses !== 'auto') return Math.min(config.loadgenProcesses, n);
  return Math.max(
    1,
    Math.min(os.availableParallelism(), Math.ceil(n / config.viewersPerLoadgen), n),
  );
}

/** n viewers over k processes, as evenly as possible. */
function split(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));
}

async function runStep(
  target: Target,
  viewers: number,
  idle: IdleResult | undefined,
  source: ChildProcess,
  others: Target[],
  /** % core per viewer at this target's largest clean step so far, if any. */
  cleanCpuPerViewer: number | undefined,
): Promise<StepResult> {
  const shares = split(viewers, loadgenCount(viewers));
  const loadgens = shares.map((count) => {
    const args: LoadgenArgs = {
      target: target.loadgenTarget,
      viewers: count,
      connectTimeoutMs: config.connectTimeoutSeconds * 1000,
      mode: config.loadgenMode,
      delayEvery:
        config.delayEvery === 'auto'
          ? Math.max(
              1,
              Math.min(
                MAX_DELAY_EVERY,
                Math.round((count * PACKETS_PER_SECOND) / DELAY_DECRYPTS_PER_SECOND),
              ),
            )
          : config.delayEvery,
    };
    return spawnTsChild('loadgenProcess', [JSON.stringify(args)], {}, config.pin?.load);
  });
  try {
    const connectedAll = await Promise.all(
      loadgens.map((loadgen, i) =>
        waitForMessage(
          loadgen,
          isType<LoadgenConnected>('connected'),
          (config.connectTimeoutSeconds + 20) * 1000,
          `${target.name} load generator ${i + 1}/${loadgens.length}`,
        ),
      ),
    );
    const connected = {
      connected: connectedAll.reduce((sum, c) => sum + c.connected, 0),
      failed: connectedAll.reduce((sum, c) => sum + c.failed, 0),
      errors: connectedAll.flatMap((c) => c.errors).slice(0, 5),
      setupMs: Math.max(...connectedAll.map((c) => c.setupMs)),
    };
    console.log(
      `  ${target.name} N=${viewers}: ${connected.connected} connected, ${connected.failed} failed in ${(connected.setupMs / 1000).toFixed(1)} s` +
        ` (${loadgens.length} load generator process${loadgens.length > 1 ? 'es' : ''}, ${config.loadgenMode} receive path)` +
        (connected.errors.length ? ` (${connected.errors.join('; ')})` : ''),
    );
    await sleep(config.settleSeconds * 1000);

    // The SFU's processes are fixed for the window: a worker that dies mid-window fails the step.
    const sfuPids = processTree(target.pid);
    const otherPids = others.map((t) => processTree(t.pid));
    const rss = new RssWatcher(sfuPids);
    const host0 = sampleHost();
    const udp0 = sampleUdpAll([target, ...others]);
    const self0 = process.cpuUsage();
    const sfu0 = sampleProcesses(sfuPids);
    const sfuEach0 = sfuPids.map((pid) => sampleProcess(pid));
    const src0 = sampleProcess(source.pid!);
    const load0 = loadgens.map((l) => sampleProcess(l.pid!));
    const others0 = otherPids.map((pids) => sampleProcesses(pids));
    for (const loadgen of loadgens) loadgen.send({ type: 'openWindow' });
    await sleep(config.measureSeconds * 1000);
    const windowReplies = loadgens.map((loadgen) =>
      waitForMessage(loadgen, isType<LoadgenWindow>('window'), 15_000, 'load generator window'),
    );
    for (const loadgen of loadgens) loadgen.send({ type: 'closeWindow' });
    const sfu1 = sampleProcesses(sfuPids);
    const sfuEach1 = sfuPids.map((pid) => sampleProcess(pid));
    const src1 = sampleProcess(source.pid!);
    const load1 = loadgens.map((l) => sampleProcess(l.pid!));
    const others1 = otherPids.map((pids) => sampleProcesses(pids));
    const self1 = process.cpuUsage(self0);
    const udp1 = sampleUdpAll([target, ...others]);
    const host1 = sampleHost();
    const windows = await Promise.all(windowReplies);
    rss.stop();

    const sum = (f: (w: LoadgenWindow) => number) => windows.reduce((acc, w) => acc + f(w), 0);
    const packetsExpected = sum((w) => w.packetsExpected);
    const packetsReceived = sum((w) => w.packetsReceived);
    const packetsLost = sum((w) => w.packetsLost);
    const delaySamples = mergeReservoirs(
      windows.map((w) => ({ samples: w.delaySamples, seen: w.delaySamplesSeen })),
    );
    const delay = summarize(delaySamples);
    const receivingViewers = sum((w) => w.receivingViewers);
    const connectedViewers = sum((w) => w.connectedViewers);

    const sfuCpu = cpuPercent(sfu0, sfu1);
    const sfuProcessCpu = sfuPids.map((pid, i) => ({
      pid,
      cpuPercent: cpuPercent(sfuEach0[i]!, sfuEach1[i]!),
    }));
    const n = receivingViewers || connectedViewers || viewers;
    const lossPercent = packetsExpected > 0 ? (packetsLost / packetsExpected) * 100 : Number.NaN;
    const hostBusy = hostBusyPercent(host0, host1);
    const cores = os.availableParallelism();
    const sourceCpu = cpuPercent(src0, src1);
    const loadgenEach = load0.map((a, i) => cpuPercent(a, load1[i]!));
    const loadgenCpu = loadgenEach.reduce((a, b) => a + b, 0);
    const otherSfuCpu = others0.reduce(
      (acc, a: ProcSample, i) => acc + cpuPercent(a, others1[i]!),
      0,
    );
    const orchestratorCpu =
      ((self1.user + self1.system) / 1e6 / ((sfu1.atMs - sfu0.atMs) / 1000)) * 100;
    const attributed = sfuCpu + loadgenCpu + sourceCpu + otherSfuCpu + orchestratorCpu;
    const cpuPerViewer = sfuCpu / n;
    const unattributed = hostBusy * cores - attributed;
    const hostSaturated = hostBusy > 90;
    // A load generator is one JS thread (plus GC and libuv helpers): near one core it is the limit.
    const loadgenSaturated = loadgenEach.some((c) => c > PROCESS_SATURATED_PERCENT);
    const reasons: string[] = [];
    if (packetsExpected === 0) reasons.push('no media');
    if (packetsLost > 0) reasons.push('loss');
    if (loadgenSaturated) reasons.push('loadgen saturated');
    if (hostSaturated) reasons.push('host saturated');
    if (unattributed > config.maxUnattributedPercent) reasons.push('other load');
    if (!(delay.p95 <= config.cleanDelayP95Ms)) reasons.push('delay');
    const notClean = reasons.length ? reasons.join(', ') : undefined;
    const clean = notClean === undefined;
    // Who limits an unclean step: the load generator when it is saturated itself, or when the
    // host is saturated and it uses more CPU than the SFU; otherwise outside load, or the SFU.
    // What limits an unclean step. On a saturated host: would the SFU's own demand (what it
    // used, or N x its per-viewer CPU at its largest clean step so far, whichever is larger)
    // plus the source and the idle SFUs fit under the clean bound (90% of all cores) without
    // the load generator? Then the load generator is the limit, else the SFU.
    const sfuDemand = Math.max(sfuCpu, (cleanCpuPerViewer ?? 0) * viewers);
    const demandWithoutLoadgen = sfuDemand + sourceCpu + otherSfuCpu + orchestratorCpu;
    const fitsWithoutLoadgen = demandWithoutLoadgen <= 0.9 * cores * 100;
    const limit: StepResult['limit'] = clean
      ? undefined
      : packetsExpected === 0
        ? 'no media'
        : loadgenSaturated || (hostSaturated && fitsWithoutLoadgen)
          ? 'load generator'
          : !hostSaturated && unattributed > config.maxUnattributedPercent
            ? 'other load'
            : 'SFU';
    const result: StepResult = {
      target: target.name,
      viewersRequested: viewers,
      connected: connected.connected,
      failed: connected.failed,
      connectErrors: connected.errors,
      setupSeconds: connected.setupMs / 1000,
      receivingViewers,
      windowSeconds: Math.max(...windows.map((w) => w.seconds)),
      sfuProcesses: sfuPids.length,
      sfuCpuPercent: sfuCpu,
      sfuProcessCpu,
      cpuPerViewerPercent: cpuPerViewer,
      marginalCpuPerViewerPercent: idle ? (sfuCpu - idle.cpuPercent) / n : Number.NaN,
      viewersPerCore: clean && cpuPerViewer > 0 ? 100 / cpuPerViewer : null,
      notClean,
      limit,
      sfuDemandPercent: sfuDemand,
      demandWithoutLoadgenPercent: demandWithoutLoadgen,
      sfuRssMB: sfu1.rssBytes / 2 ** 20,
      sfuPeakRssMB: Math.max(rss.peakBytes, sfu1.rssBytes) / 2 ** 20,
      packetsExpected,
      packetsReceived,
      packetsLost,
      lossPercent,
      minViewerPackets: Math.min(...windows.map((w) => w.minViewerPackets)),
      delay,
      delaySamplesSeen: sum((w) => w.delaySamplesSeen),
      decryptErrors: sum((w) => w.decryptErrors),
      rawFallbacks: sum((w) => w.rawFallbacks),
      loadgenMode: config.loadgenMode,
      loadgenProcesses: loadgens.length,
      loadgenCpuPercent: loadgenCpu,
      loadgenProcessCpuPercent: loadgenEach,
      loadgenCpuPerViewerPercent: loadgenCpu / n,
      loadgenSelfReportedCpuPercent: sum((w) => w.cpuPercent),
      loadgenRssMB: sum((w) => w.rssBytes) / 2 ** 20,
      loadgenSaturated,
      sourceCpuPercent: sourceCpu,
      otherSfuCpuPercent: otherSfuCpu,
      orchestratorCpuPercent: orchestratorCpu,
      hostBusyPercent: hostBusy,
      hostSoftirqCorePercent: hostSoftirqPercent(host0, host1) * cores,
      unattributedCorePercent: unattributed,
      hostSaturated,
      udpRcvbufDrops: udp1.rcvbufErrors - udp0.rcvbufErrors,
    };
    console.log(
      `    SFU ${fx(sfuCpu)}% core (${sfuProcessCpu.map((p) => fx(p.cpuPercent, 0)).join('+')}), ${fx(cpuPerViewer, 3)}%/viewer, loss ${fx(lossPercent, 3)}%, ` +
        `delay p50/p95/p99 ${fx(delay.p50)}/${fx(delay.p95)}/${fx(delay.p99)} ms, ` +
        `loadgen ${loadgenEach.map((c) => fx(c, 0)).join('+')}% core, host ${fx(hostBusy, 0)}% busy (${fx(unattributed, 0)}% core outside our processes), ` +
        `kernel UDP drops ${result.udpRcvbufDrops}` +
        (result.decryptErrors ? `, ${result.decryptErrors} SRTP errors` : '') +
        (result.rawFallbacks ? `, ${result.rawFallbacks} viewers on werift's path` : '') +
        (limit ? ` -> not clean (${notClean}); limit: ${limit}` : ''),
    );
    return result;
  } finally {
    await Promise.all(
      loadgens.map(async (loadgen) => {
        const tornDown = waitForMessage(
          loadgen,
          isType<{ type: 'tornDown' }>('tornDown'),
          30_000,
          'load generator teardown',
        ).catch((error: Error) => console.warn(`  ${error.message}`));
        if (loadgen.connected) loadgen.send({ type: 'teardown' });
        await tornDown;
        await stopChild(loadgen);
      }),
    );
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
  const loadAverage0 = os.loadavg();
  console.log(
    `fan-out bench: N=${cfg.viewerCounts.join(',')} targets=${cfg.targets.join(',')} window=${cfg.measureSeconds}s, ` +
      `stream ${(NOMINAL_BITRATE / 1e6).toFixed(2)} Mbps (${STREAM.fps} fps x ${STREAM.packetsPerFrame} x ${STREAM.videoPacketBytes} B + Opus/${STREAM.audioIntervalMs} ms), ` +
      `${os.availableParallelism()} cores, load average ${loadAverage0.map((l) => l.toFixed(2)).join(' ')}, ` +
      `load generator: ${cfg.loadgenMode} receive path, ${cfg.loadgenProcesses === 'auto' ? `one process per ${cfg.viewersPerLoadgen} viewers` : `${cfg.loadgenProcesses} processes`}`,
  );
  const targets: Target[] = [];
  const destinations: SourceDestination[] = [];
  let janusError: string | undefined;
  const sfuNotes: Partial<Record<TargetName, string>> = {};
  let source: ChildProcess | undefined;
  try {
    for (const name of cfg.targets) {
      if (name === 'werift' || name === 'mediasoup') {
        const onair = await startOnair(name);
        sfuNotes[name] = onair.note;
        targets.push(onair);
        destinations.push({
          host: '127.0.0.1',
          bind: '127.0.0.1',
          bindPort: onair.sourcePort,
          video: onair.rtpPort,
          audio: onair.rtpPort,
        });
        console.log(
          `${name} SFU pid ${onair.pid} (process tree ${processTree(onair.pid).join(', ')}), ingest 127.0.0.1:${onair.rtpPort}, ${onair.note}`,
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
          `idle ${target.name}: ${result.cpuPercent.toFixed(2)}% core, ${result.rssMB.toFixed(0)} MB (${result.processes} process${result.processes > 1 ? 'es' : ''})`,
        );
      }
    }

    const steps: StepResult[] = [];
    /** Targets whose SFU was the limit at some N: larger N would only overload it further. */
    const sfuLimited = new Map<TargetName, number>();
    const skipped: { target: TargetName; viewers: number; reason: string }[] = [];
    for (const n of cfg.viewerCounts) {
      console.log(`N=${n}`);
      for (const target of targets) {
        const limitedAt = sfuLimited.get(target.name);
        if (limitedAt !== undefined && limitedAt < n) {
          const reason = `the SFU was the limit at N=${limitedAt}`;
          skipped.push({ target: target.name, viewers: n, reason });
          console.log(`  ${target.name} N=${n}: skipped (${reason})`);
          continue;
        }
        const cleanSoFar = steps
          .filter((s) => s.target === target.name && s.viewersPerCore !== null)
          .sort((x, y) => y.receivingViewers - x.receivingViewers)[0];
        try {
          const step = await runStep(
            target,
            n,
            idle.get(target.name),
            source,
            targets.filter((t) => t !== target),
            cleanSoFar?.cpuPerViewerPercent,
          );
          steps.push(step);
          if (step.limit === 'SFU' && cfg.stopAtSfuLimit) sfuLimited.set(target.name, n);
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
      sfus: sfuNotes,
      load: loadAverage0,
      ...(janusError ? { janusError } : {}),
      idle: [...idle.values()],
      steps,
      skipped,
      loadAverageAtEnd: os.loadavg(),
    };
    const ratios = printReport({ ...report, cleanDelayP95Ms: cfg.cleanDelayP95Ms });
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
