import { formatSummary, type Summary } from '../../lib/percentiles.js';
import type { TargetName } from './config.js';

export interface IdleResult {
  target: TargetName;
  /** Processes summed: the SFU's and its descendants' (mediasoup: the node process + workers). */
  processes: number;
  seconds: number;
  cpuPercent: number;
  rssMB: number;
  sourceCpuPercent: number;
}

export interface StepResult {
  target: TargetName;
  viewersRequested: number;
  connected: number;
  failed: number;
  connectErrors: string[];
  setupSeconds: number;
  receivingViewers: number;
  windowSeconds: number;
  /** Processes in the SFU's tree (mediasoup: node + its worker processes). */
  sfuProcesses: number;
  /** SFU CPU over the window, % of one core: all threads of all processes in its tree. */
  sfuCpuPercent: number;
  /** The same, per process. */
  sfuProcessCpu: { pid: number; cpuPercent: number }[];
  /** sfuCpuPercent / receiving viewers: includes the ingest's fixed cost, so it is conservative. */
  cpuPerViewerPercent: number;
  /** (sfuCpuPercent − idle SFU CPU) / receiving viewers. */
  marginalCpuPerViewerPercent: number;
  /** 100 / cpuPerViewerPercent, only for a clean step (see notClean). */
  viewersPerCore: number | null;
  /** Why the step is not clean, if it is not (comma-separated reasons). */
  notClean: string | undefined;
  /**
   * What the SFU needs at this N: its CPU in the window, or N x its per-viewer CPU at its
   * largest clean step before, whichever is larger (a starved SFU uses less than it needs).
   */
  sfuDemandPercent: number;
  /** sfuDemandPercent plus the source, the idle SFUs and the orchestrator: the host without the load generator. */
  demandWithoutLoadgenPercent: number;
  /** For an unclean step: what limited it (see index.ts). */
  limit: 'load generator' | 'SFU' | 'other load' | 'no media' | undefined;
  /** Summed over the SFU's processes (pages they share count twice). */
  sfuRssMB: number;
  sfuPeakRssMB: number;
  packetsExpected: number;
  packetsReceived: number;
  packetsLost: number;
  lossPercent: number;
  minViewerPackets: number;
  delay: Summary;
  delaySamplesSeen: number;
  /** Raw receive path: sampled packets that failed SRTP authentication or decryption. */
  decryptErrors: number;
  /** Raw receive path: viewers that stayed on werift's path. */
  rawFallbacks: number;
  loadgenMode: 'raw' | 'werift';
  loadgenProcesses: number;
  /** Load generator CPU from /proc (all threads, all its processes), % of one core. */
  loadgenCpuPercent: number;
  loadgenProcessCpuPercent: number[];
  loadgenCpuPerViewerPercent: number;
  loadgenSelfReportedCpuPercent: number;
  loadgenRssMB: number;
  /** Some load generator process used more than 90% of one core (its JS thread is the limit). */
  loadgenSaturated: boolean;
  sourceCpuPercent: number;
  /** The other SFUs, idle but still ingesting the same RTP. */
  otherSfuCpuPercent: number;
  orchestratorCpuPercent: number;
  /** Whole machine busy over the window, % of all cores. */
  hostBusyPercent: number;
  /** Soft-interrupt time (loopback packet delivery), % of one core. */
  hostSoftirqCorePercent: number;
  /** Busy time no benchmark process accounts for (softirq, kernel threads, other workloads), % of one core. */
  unattributedCorePercent: number;
  hostSaturated: boolean;
  /** Datagrams the kernel dropped host-wide because a socket receive buffer was full. */
  udpRcvbufDrops: number;
}

export interface Ratio {
  viewers: number;
  /** e.g. 'mediasoup/janus'. */
  pair: string;
  numeratorCpuPerViewer: number;
  denominatorCpuPerViewer: number;
  ratio: number;
  marginalRatio: number;
  /** Both steps clean: only then is the ratio a measurement of the SFUs alone. */
  bothClean: boolean;
}

interface Report {
  host: { cores: number };
  idle: IdleResult[];
  steps: StepResult[];
  skipped: { target: TargetName; viewers: number; reason: string }[];
  cleanDelayP95Ms: number;
}

/** Targets of the issue: mediasoup against Janus, capacity and delay. */
export const TARGETS = {
  mediasoupJanusRatio: 0.6,
  viewersPerCore: 400,
  delayP95Ms: 20,
  delayAtViewers: 100,
} as const;

/**
 * Merges reservoir samples of several load generators into one uniform sample: each
 * contributes in proportion to the measurements it saw, not to its reservoir's size.
 */
export function mergeReservoirs(parts: { samples: number[]; seen: number }[]): number[] {
  const used = parts.filter((p) => p.seen > 0 && p.samples.length > 0);
  if (used.length <= 1) return used[0]?.samples.slice() ?? [];
  const totalSeen = used.reduce((a, p) => a + p.seen, 0);
  // Largest total such that every part has enough samples for its share.
  const total = Math.min(...used.map((p) => (p.samples.length * totalSeen) / p.seen));
  const merged: number[] = [];
  for (const part of used) {
    const take = Math.min(part.samples.length, Math.round((total * part.seen) / totalSeen));
    const pool = part.samples.slice();
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(Math.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      merged.push(pool[i]!);
    }
  }
  return merged;
}

const f = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function ratiosOf(steps: StepResult[], a: TargetName, b: TargetName): Ratio[] {
  const ratios: Ratio[] = [];
  for (const x of steps.filter((s) => s.target === a)) {
    const y = steps.find((s) => s.target === b && s.viewersRequested === x.viewersRequested);
    if (!y) continue;
    ratios.push({
      viewers: x.viewersRequested,
      pair: `${a}/${b}`,
      numeratorCpuPerViewer: x.cpuPerViewerPercent,
      denominatorCpuPerViewer: y.cpuPerViewerPercent,
      ratio: x.cpuPerViewerPercent / y.cpuPerViewerPercent,
      marginalRatio: x.marginalCpuPerViewerPercent / y.marginalCpuPerViewerPercent,
      bothClean: x.viewersPerCore !== null && y.viewersPerCore !== null,
    });
  }
  return ratios;
}

/** The largest clean step of a target: the one its viewers-per-core projection comes from. */
function largestClean(steps: StepResult[], name: TargetName): StepResult | undefined {
  return steps
    .filter((s) => s.target === name && s.viewersPerCore !== null)
    .sort((x, y) => y.receivingViewers - x.receivingViewers)[0];
}

/** Viewers per core at every clean step of a target, e.g. "335–485 (N=50: 335, N=100: 388)". */
function cleanRange(steps: StepResult[], name: TargetName): string {
  const clean = steps
    .filter((s) => s.target === name && s.viewersPerCore !== null)
    .sort((x, y) => x.viewersRequested - y.viewersRequested);
  const values = clean.map((s) => s.viewersPerCore!);
  return (
    `${f(Math.min(...values), 0)}–${f(Math.max(...values), 0)} ` +
    `(${clean.map((s) => `N=${s.viewersRequested}: ${f(s.viewersPerCore, 0)}`).join(', ')})`
  );
}

export function printReport(report: Report): Ratio[] {
  const cores = report.host.cores;
  console.log('\n=== fan-out results ===');
  for (const idle of report.idle) {
    console.log(
      `idle ${idle.target}: ${f(idle.cpuPercent, 2)}% core, RSS ${f(idle.rssMB, 0)} MB over ${idle.processes} process(es) (source ${f(idle.sourceCpuPercent, 1)}% core)`,
    );
  }
  console.log(
    table(
      [
        'target',
        'N',
        'recv',
        'SFU %core',
        '%core/viewer',
        'marginal',
        'viewers/core',
        'RSS MB',
        'loss %',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'loadgen %core',
        'loadgen/viewer',
        'host busy %',
        'unattrib %',
        'udp drops',
        'limit',
      ],
      report.steps.map((s) => [
        s.target,
        String(s.viewersRequested),
        String(s.receivingViewers),
        f(s.sfuCpuPercent),
        f(s.cpuPerViewerPercent, 3),
        f(s.marginalCpuPerViewerPercent, 3),
        s.viewersPerCore === null ? `n/a (${s.notClean ?? '?'})` : f(s.viewersPerCore, 0),
        f(s.sfuPeakRssMB, 0),
        f(s.lossPercent, 3),
        f(s.delay.p50, 1),
        f(s.delay.p95, 1),
        f(s.delay.p99, 1),
        s.loadgenProcessCpuPercent.map((c) => f(c, 0)).join('+') + (s.loadgenSaturated ? '!' : ''),
        f(s.loadgenCpuPerViewerPercent, 3),
        f(s.hostBusyPercent, 0) + (s.hostSaturated ? '*' : ''),
        f(s.unattributedCorePercent, 0),
        String(s.udpRcvbufDrops),
        s.limit ?? '-',
      ]),
    ),
  );
  console.log(
    '(SFU %core: all threads of the SFU process and its children (mediasoup: node + worker processes); RSS summed over them.\n' +
      ' loadgen %core: one figure per load generator process; ! = one above 90% of a core, its JS thread is saturated.\n' +
      ' * host above 90% busy: the load generator competes with the SFU, so CPU and delay are not clean.\n' +
      ' unattrib: busy core-% no benchmark process accounts for: loopback softirq, kernel threads, other workloads.\n' +
      ' udp drops: datagrams the kernel dropped on full socket receive buffers (host and Janus namespace) during the window.\n' +
      ' limit: for an unclean step, "load generator" when one of its processes is saturated, or the host is saturated but the\n' +
      " SFU's own demand (max of its CPU and N x its clean per-viewer CPU) plus source and idle SFUs fits in 90% of the cores;\n" +
      ' "other load" when busy time outside the benchmark disqualifies it; else "SFU".)',
  );
  for (const s of report.steps)
    console.log(formatSummary(`  relay delay ${s.target} N=${s.viewersRequested}`, s.delay));

  const ratios = [
    ...ratiosOf(report.steps, 'mediasoup', 'janus'),
    ...ratiosOf(report.steps, 'mediasoup', 'werift'),
    ...ratiosOf(report.steps, 'werift', 'janus'),
  ];
  for (const pair of [...new Set(ratios.map((r) => r.pair))]) {
    const target = pair === 'mediasoup/janus' ? ` (target ≤ ${TARGETS.mediasoupJanusRatio})` : '';
    console.log(`\nCPU per viewer, ${pair}${target}:`);
    for (const r of ratios.filter((x) => x.pair === pair)) {
      console.log(
        `  N=${r.viewers}: ${f(r.numeratorCpuPerViewer, 3)} / ${f(r.denominatorCpuPerViewer, 3)} %core = ${f(r.ratio, 2)}x (marginal ${f(r.marginalRatio, 2)}x)` +
          (r.bothClean ? '' : '  [a step is not clean: not a measurement of the SFUs alone]'),
      );
    }
  }

  console.log('');
  const names = [...new Set(report.steps.map((s) => s.target))];
  for (const name of names) {
    const largest = largestClean(report.steps, name);
    if (largest) {
      console.log(
        `${name}: ${f(largest.viewersPerCore, 0)} viewers per core projected from the largest clean step (N=${largest.receivingViewers}, ` +
          `${f(largest.cpuPerViewerPercent, 3)}% core each); clean steps ${cleanRange(report.steps, name)}`,
      );
    } else {
      console.log(
        `${name}: no clean step (0 loss, host ≤ 90% busy, load generator unsaturated, no outside load, p95 ≤ ${report.cleanDelayP95Ms} ms), so no viewers-per-core projection`,
      );
    }
    const firstUnclean = report.steps
      .filter((s) => s.target === name && s.limit !== undefined)
      .sort((x, y) => x.viewersRequested - y.viewersRequested)[0];
    if (firstUnclean) {
      const u = firstUnclean;
      const loadgen = `load generator ${u.loadgenProcessCpuPercent.map((c) => f(c, 0)).join('+')}% core`;
      const facts =
        `SFU ${f(u.sfuCpuPercent, 0)}% core (needs ~${f(u.sfuDemandPercent, 0)}%; with source and idle SFUs ~${f(u.demandWithoutLoadgenPercent, 0)}% ` +
        `of the ${f(0.9 * cores * 100, 0)}% a clean host allows), ${loadgen}, host ${f(u.hostBusyPercent, 0)}% busy`;
      const who =
        u.limit === 'load generator'
          ? u.loadgenSaturated
            ? 'the LOAD GENERATOR, not the SFU, is the limit: one of its processes is saturated'
            : 'the LOAD GENERATOR, not the SFU, is the limit: the SFU alone would fit on this host, the SFU plus the load generator do not'
          : u.limit === 'SFU'
            ? 'the SFU is the limit'
            : `the limit is ${u.limit}`;
      console.log(
        `  first unclean step N=${u.viewersRequested} (${u.notClean}): ${who} (${facts})`,
      );
    }
    for (const skip of report.skipped.filter((k) => k.target === name))
      console.log(`  N=${skip.viewers} skipped: ${skip.reason}`);
  }

  if (names.includes('mediasoup')) {
    console.log('\ntargets (mediasoup):');
    const vsJanus = ratios.filter((r) => r.pair === 'mediasoup/janus');
    const cleanVsJanus = vsJanus.filter((r) => r.bothClean);
    if (cleanVsJanus.length) {
      const met = cleanVsJanus.filter((r) => r.ratio <= TARGETS.mediasoupJanusRatio);
      console.log(
        `  CPU per viewer ≤ ${TARGETS.mediasoupJanusRatio}x Janus: ${met.length === cleanVsJanus.length ? 'MET' : met.length ? 'PARTLY MET' : 'NOT MET'} ` +
          `(${cleanVsJanus.map((r) => `N=${r.viewers} ${f(r.ratio, 2)}x`).join(', ')}; clean steps of both only)`,
      );
    } else {
      console.log(
        `  CPU per viewer ≤ ${TARGETS.mediasoupJanusRatio}x Janus: NOT MEASURED (no N with clean steps of both)`,
      );
    }
    const largest = largestClean(report.steps, 'mediasoup');
    console.log(
      `  ≥ ${TARGETS.viewersPerCore} viewers per core from clean steps with 0 loss: ` +
        (largest
          ? `${(largest.viewersPerCore ?? 0) >= TARGETS.viewersPerCore ? 'MET' : 'NOT MET'} at the largest clean step (${f(largest.viewersPerCore, 0)} at N=${largest.receivingViewers}); ` +
            `clean steps ${cleanRange(report.steps, 'mediasoup')}`
          : 'NOT MEASURED (no clean step)'),
    );
    const at = report.steps.find(
      (s) => s.target === 'mediasoup' && s.viewersRequested === TARGETS.delayAtViewers,
    );
    console.log(
      `  relay delay p95 ≤ ${TARGETS.delayP95Ms} ms at N=${TARGETS.delayAtViewers}: ` +
        (at && Number.isFinite(at.delay.p95)
          ? `${at.delay.p95 <= TARGETS.delayP95Ms ? 'MET' : 'NOT MET'} (p95 ${f(at.delay.p95, 1)} ms, loss ${f(at.lossPercent, 3)}%${at.notClean ? `; step not clean: ${at.notClean}` : ''})`
          : 'NOT MEASURED (no N=100 step)'),
    );
  }
  return ratios;
}
