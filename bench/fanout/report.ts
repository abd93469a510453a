import { formatSummary, type Summary } from '../../lib/percentiles.js';
import type { TargetName } from './config.js';

export interface IdleResult {
  target: TargetName;
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
  /** SFU process CPU over the window, % of one core (all threads). */
  sfuCpuPercent: number;
  /** sfuCpuPercent / receiving viewers: includes the ingest's fixed cost, so it is conservative. */
  cpuPerViewerPercent: number;
  /** (sfuCpuPercent − idle SFU CPU) / receiving viewers. */
  marginalCpuPerViewerPercent: number;
  /** 100 / cpuPerViewerPercent, only for a clean step: zero loss, host ≤ 90% busy, p95 delay within bound. */
  viewersPerCore: number | null;
  /** Why the step is not clean, if it is not. */
  notClean: string | undefined;
  sfuRssMB: number;
  sfuPeakRssMB: number;
  packetsExpected: number;
  packetsReceived: number;
  packetsLost: number;
  lossPercent: number;
  minViewerPackets: number;
  delay: Summary;
  delaySamplesSeen: number;
  /** Load generator CPU from /proc (all threads), % of one core. */
  loadgenCpuPercent: number;
  loadgenSelfReportedCpuPercent: number;
  loadgenRssMB: number;
  sourceCpuPercent: number;
  /** The other SFU, idle but still ingesting the same RTP. */
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
  onairCpuPerViewer: number;
  janusCpuPerViewer: number;
  /** OnAir / Janus CPU per viewer (target ≤ 1.5). */
  ratio: number;
  marginalRatio: number;
}

interface Report {
  idle: IdleResult[];
  steps: StepResult[];
}

const f = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(digits);

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function printReport(report: Report): Ratio[] {
  console.log('\n=== fan-out results ===');
  for (const idle of report.idle) {
    console.log(
      `idle ${idle.target}: ${f(idle.cpuPercent, 2)}% core, RSS ${f(idle.rssMB, 0)} MB (source ${f(idle.sourceCpuPercent, 1)}% core)`,
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
        'loadgen %',
        'host busy %',
        'unattrib %',
        'udp drops',
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
        f(s.loadgenCpuPercent, 0),
        f(s.hostBusyPercent, 0) + (s.hostSaturated ? '*' : ''),
        f(s.unattributedCorePercent, 0),
        String(s.udpRcvbufDrops),
      ]),
    ),
  );
  console.log(
    '(* host above 90% busy: the load generator competes with the SFU, so CPU and delay are not clean.\n' +
      ' unattrib: busy core-% no benchmark process accounts for: loopback softirq, kernel threads, other workloads.\n' +
      ' udp drops: datagrams the kernel dropped on full socket receive buffers (host and Janus namespace) during the window.)',
  );
  for (const s of report.steps)
    console.log(formatSummary(`  relay delay ${s.target} N=${s.viewersRequested}`, s.delay));

  const ratios: Ratio[] = [];
  for (const onair of report.steps.filter((s) => s.target === 'onair')) {
    const janus = report.steps.find(
      (s) => s.target === 'janus' && s.viewersRequested === onair.viewersRequested,
    );
    if (!janus) continue;
    ratios.push({
      viewers: onair.viewersRequested,
      onairCpuPerViewer: onair.cpuPerViewerPercent,
      janusCpuPerViewer: janus.cpuPerViewerPercent,
      ratio: onair.cpuPerViewerPercent / janus.cpuPerViewerPercent,
      marginalRatio: onair.marginalCpuPerViewerPercent / janus.marginalCpuPerViewerPercent,
    });
  }
  if (ratios.length) {
    console.log('\nper-viewer CPU, OnAir / Janus (target ≤ 1.5):');
    for (const r of ratios) {
      console.log(
        `  N=${r.viewers}: ${f(r.onairCpuPerViewer, 3)} / ${f(r.janusCpuPerViewer, 3)} %core = ${f(r.ratio, 2)}x (marginal ${f(r.marginalRatio, 2)}x)`,
      );
    }
  }
  for (const name of ['onair', 'janus'] as const) {
    const clean = report.steps.filter((s) => s.target === name && s.viewersPerCore !== null);
    const largest = clean.sort((x, y) => y.receivingViewers - x.receivingViewers)[0];
    if (largest) {
      console.log(
        `${name}: ${f(largest.viewersPerCore, 0)} viewers per core projected from the largest clean step (N=${largest.receivingViewers}, ` +
          `${f(largest.cpuPerViewerPercent, 3)}% core each); target ≥ 300`,
      );
    } else if (report.steps.some((s) => s.target === name)) {
      console.log(
        `${name}: no clean step (0 loss, host ≤ 90% busy, no outside load, p95 within bound), so no viewers-per-core projection`,
      );
    }
  }
  return ratios;
}
