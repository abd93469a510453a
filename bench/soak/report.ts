import { percentile } from '../../lib/percentiles.js';
import type { ActivityCounts } from './activity.js';
import type { FaultReport } from './chaos.js';
import type { SoakConfig } from './config.js';
import type { Drop, Minute } from './recorder.js';

/** The issue's targets. */
const RSS_GROWTH_MAX = 0.05;
const RECOVERY_MAX_MS = 2_000;
/** "No upward drift": the last third of the minutes within 20% (or 5 ms) of the first third. */
const DRIFT_RATIO = 1.2;
const DRIFT_SLACK_MS = 5;

const f = (value: number | undefined, digits = 0) =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
const met = (ok: boolean) => (ok ? '**met**' : '**NOT MET**');
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const clock = (ms: number) =>
  `${Math.floor(ms / 60_000)}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;

/** One line per minute, as the soak prints it while it runs. */
export function minuteLine(m: Minute): string {
  const loss = m.expected > 0 ? Math.max(0, 1 - m.received / m.expected) * 100 : Number.NaN;
  return `| ${m.index + 1} | ${f(m.rssMb)} | ${f(m.cpuPct)} / ${f(m.treeCpuPct)} | ${f(percentile(m.overlayMs, 99), 1)} | ${f(percentile(m.ackMs, 99), 1)} | ${m.playing}/${m.webrtcViewers} (low ${Number.isFinite(m.playingLow) ? m.playingLow : 'n/a'}) | ${m.drops} | ${f(loss, 3)} | ${f(percentile(m.lagMs, 50))} / ${f(percentile(m.lagMs, 95))} | ${m.socketConnected}/${m.socketViewers} | ${m.socketDisconnects} | ${f(m.socketSent / Math.max(1, m.sampledSeconds), 0)} | ${m.socketErrors} | ${m.faults.join(', ')} |`;
}

export const MINUTE_HEADER = [
  '| min | RSS MB | CPU % node / +children | event→overlay p99 ms | event→ack p99 ms | WebRTC playing/viewers | drops | loss % | playout lag p50 / p95 ms | sockets connected | socket drops | events/s | event errors | faults |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];

interface Drift {
  name: string;
  first: number;
  last: number;
  ok: boolean;
}

function drift(name: string, minutes: Minute[], value: (m: Minute) => number): Drift | undefined {
  const values = minutes.map(value).filter(Number.isFinite);
  if (values.length < 3) return undefined;
  const third = Math.max(1, Math.floor(values.length / 3));
  const first = mean(values.slice(0, third));
  const last = mean(values.slice(-third));
  return { name, first, last, ok: last <= Math.max(first * DRIFT_RATIO, first + DRIFT_SLACK_MS) };
}

export interface SoakResult {
  config: SoakConfig;
  startedAt: string;
  cores: number;
  showId: string;
  /** Epoch ms of minute 0. */
  soakStartMs: number;
  minutes: Minute[];
  drops: Drop[];
  faults: FaultReport[];
  activity: ActivityCounts;
  /** Fault windows: a drop inside one is the fault's, outside is the soak's. */
  faultWindowMs: number;
  notes: string[];
}

export function renderReport(r: SoakResult): { markdown: string; ok: boolean } {
  const { config, minutes } = r;
  const lines: string[] = [];
  const verdicts: boolean[] = [];
  lines.push(`## Soak: ${r.startedAt}`);
  lines.push('');
  lines.push(
    `One show (presenter, ${config.resolution}, HLS ${config.hls}), mediasoup SFU (one worker), ${config.webrtcViewers} WebRTC viewers (werift, page-like) and ${config.socketViewers} socket viewers (one event each every ${config.eventIntervalMs} ms), a cue every ${config.cueEveryMs / 1000} s (text and prompt lines in turn), a poll every ${config.pollEveryMs / 1000} s; ${config.minutes} min, ${r.cores} cores, chaos ${config.chaos ? 'on' : 'off'}. Show ${r.showId}.`,
  );
  lines.push(
    `Host activity: ${r.activity.cues} cues and ${r.activity.polls} polls accepted, ${r.activity.cuesRefused + r.activity.pollsRefused} refused${r.activity.refusals.length ? ` (${[...new Set(r.activity.refusals)].slice(0, 5).join('; ')})` : ''}.`,
  );
  for (const note of r.notes) lines.push(`${note}`);
  lines.push('');
  lines.push('### Minute by minute');
  lines.push('');
  lines.push(...MINUTE_HEADER, ...minutes.map(minuteLine));
  lines.push('');
  lines.push('### Targets');
  lines.push('');
  const warm = config.warmupMinutes;
  const after = minutes.slice(warm);
  const base = minutes[Math.max(0, warm - 1)]?.rssMb;
  const rssAfter = after.map((m) => m.rssMb).filter(Number.isFinite);
  if (base !== undefined && rssAfter.length >= 2) {
    const last = rssAfter.at(-1)!;
    const growth = (last - base) / base;
    verdicts.push(growth < RSS_GROWTH_MAX);
    lines.push(
      `- RSS growth after minute ${warm} (server process, end of minute ${warm || 1} → end of the run): ${f(base)} → ${f(last)} MB, ${f(growth * 100, 1)}% (max ${f(Math.max(...rssAfter))} MB); target < 5%: ${met(growth < RSS_GROWTH_MAX)}${warm < 5 ? ` (a ${config.minutes}-minute run: warm-up shortened to ${warm} min)` : ''}`,
    );
  } else
    lines.push(
      `- RSS growth: the run is too short to compare minutes after the warm-up (${warm} min).`,
    );
  const outside = r.drops.filter(
    (d) =>
      !r.faults.some((fault) => d.atMs >= fault.atMs && d.atMs <= fault.atMs + r.faultWindowMs),
  );
  const playingShort = after.filter((m) => m.playingLow < m.webrtcViewers).length;
  verdicts.push(outside.length === 0);
  lines.push(
    `- WebRTC viewer drops (a viewer left its session and POSTed again)${config.chaos ? ', outside the chaos drills' : ''}: ${outside.length}${config.chaos ? ` (${r.drops.length - outside.length} during drills, reported per fault below)` : ''}; target 0: ${met(outside.length === 0)}. Minutes after warm-up in which some viewer went 2 s without video: ${playingShort}.`,
  );
  const drifts = [
    drift('event → overlay p99', after, (m) => percentile(m.overlayMs, 99)),
    drift('event → ack p99', after, (m) => percentile(m.ackMs, 99)),
    drift('playout lag p50', after, (m) => percentile(m.lagMs, 50)),
    drift('playout lag p95', after, (m) => percentile(m.lagMs, 95)),
  ].filter((d): d is Drift => d !== undefined);
  if (drifts.length) {
    for (const d of drifts) verdicts.push(d.ok);
    lines.push(
      `- Latency drift, mean of the per-minute figure over the first third of the minutes after warm-up → the last third (no upward drift: within ×${DRIFT_RATIO} or +${DRIFT_SLACK_MS} ms${config.chaos ? '; minutes with faults included' : ''}):`,
    );
    for (const d of drifts)
      lines.push(`  - ${d.name}: ${f(d.first, 1)} → ${f(d.last, 1)} ms: ${met(d.ok)}`);
  } else
    lines.push(
      `- Latency drift: fewer than 3 minutes after the warm-up (${warm} min): not judged.`,
    );
  if (config.chaos) {
    lines.push('');
    lines.push('### Chaos');
    lines.push('');
    lines.push(
      `Recovery: fault → the first video packet after a viewer's silence (${'≥'}250 ms) that began at the fault, over the viewers it affected. Target: every viewer back within ${RECOVERY_MAX_MS / 1000} s, no queued job lost.`,
    );
    lines.push('');
    lines.push(
      '| fault | at | what happened | viewers affected | recovery p95 / max ms | not recovered | viewers that re-POSTed | socket drops | jobs enqueued / completed / lost | verdict |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const fault of r.faults) {
      const ok =
        !fault.error &&
        fault.notRecovered === 0 &&
        (fault.recoveryMaxMs ?? 0) <= RECOVERY_MAX_MS &&
        (fault.jobs?.lost ?? 0) === 0;
      verdicts.push(ok);
      const reasons = Object.entries(fault.dropReasons)
        .map(([reason, n]) => `${n}× ${reason}`)
        .join(', ');
      lines.push(
        `| ${fault.name} | ${clock(fault.atMs - r.soakStartMs)} | ${fault.error ? `FAILED: ${fault.error}` : fault.detail} | ${fault.affected}/${fault.viewers} | ${f(fault.recoveryP95Ms)} / ${f(fault.recoveryMaxMs)} | ${fault.notRecovered} | ${fault.drops}${reasons ? ` (${reasons})` : ''} | ${fault.socketDisconnects} | ${fault.jobs ? `${fault.jobs.enqueued} / ${fault.jobs.completed} / ${fault.jobs.lost}${fault.jobs.failed ? ` (${fault.jobs.failed} failed)` : ''}${fault.jobs.lastCompletedMs !== undefined ? `, last done +${f(fault.jobs.lastCompletedMs / 1000, 1)} s` : ''}` : '—'} | ${met(ok)} |`,
      );
    }
  }
  const ok = verdicts.every(Boolean);
  lines.push('');
  lines.push(`**Overall: ${ok ? 'every target met' : 'some target NOT MET'}.**`);
  return { markdown: lines.join('\n'), ok };
}
