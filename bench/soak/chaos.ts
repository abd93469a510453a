import { percentile } from '../../lib/percentiles.js';
import { commOf, mediasoupWorkers } from '../cluster/procCpu.js';
import { childPids } from '../fanout/procStats.js';
import { epochMs } from './clock.js';
import type { JobOutcome, JobTracker } from './jobs.js';
import type { SoakRecorder } from './recorder.js';
import { GAP_MS } from './soakViewer.js';
import type { SoakStack } from './stack.js';

export type FaultKind = 'encoder' | 'sfu-worker' | 'redis' | 'batch-worker';

export interface FaultReport {
  name: string;
  kind: FaultKind;
  atMs: number;
  /** What was killed and how the system replaced it. */
  detail: string;
  viewers: number;
  /** Viewers whose video stopped for `GAP_MS` or more after the fault. */
  affected: number;
  /** Fault → video again, over the affected viewers (ms). */
  recoveryP95Ms?: number;
  recoveryMaxMs?: number;
  /** Affected viewers still without video when the drill stopped waiting. */
  notRecovered: number;
  /** Viewers that left their session and POSTed again, and why. */
  drops: number;
  dropReasons: Record<string, number>;
  socketDisconnects: number;
  jobs?: JobOutcome;
  error?: string;
}

/** How long a drill waits at least, and at most, for every viewer to play again. */
const SETTLE_MS = 3_000;
const GIVE_UP_MS = 15_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The issue's faults in one order: the encoder's kills spread out, the others between them. */
export function chaosPlan(encoderKills: number): FaultKind[] {
  const plan: FaultKind[] = Array.from({ length: encoderKills }, () => 'encoder');
  const others: FaultKind[] = ['sfu-worker', 'redis', 'batch-worker'];
  for (const [i, kind] of others.entries())
    plan.splice(Math.round(((i + 1) * plan.length) / (others.length + 1)) + i, 0, kind);
  return plan;
}

/**
 * The chaos drills. Each kills one part the way a crash would (SIGKILL; Redis is shut down and
 * started again), notes what replaced it, then waits until every WebRTC viewer plays again and
 * reports, from the viewers' own packet gaps, how long each took.
 */
export class ChaosDrills {
  readonly faults: FaultReport[] = [];
  private readonly counts = new Map<FaultKind, number>();

  constructor(
    private readonly stack: SoakStack,
    private readonly recorder: SoakRecorder,
    private readonly jobs: JobTracker,
    private readonly viewers: number,
    private readonly jobsPerDrill: number,
    private readonly redisDownMs: number,
  ) {}

  async run(kind: FaultKind): Promise<FaultReport> {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    const name = `${kind} #${n}`;
    let atMs = epochMs();
    let detail = '';
    let error: string | undefined;
    try {
      const drill =
        kind === 'encoder'
          ? this.encoder()
          : kind === 'sfu-worker'
            ? this.sfuWorker()
            : kind === 'redis'
              ? this.redis(name)
              : this.batchWorker(name);
      ({ atMs, detail } = await drill);
    } catch (e) {
      error = (e as Error).message;
    }
    this.stack.cluster.remember();
    this.recorder.noteFault(name, atMs);
    const report: FaultReport = {
      name,
      kind,
      atMs,
      detail,
      ...(await this.recovery(atMs)),
      ...(error && { error }),
    };
    this.faults.push(report);
    return report;
  }

  /** Fills in each drill's jobs once the tracker has settled them. */
  jobOutcomes(): void {
    for (const fault of this.faults)
      if (fault.kind === 'redis' || fault.kind === 'batch-worker')
        fault.jobs = this.jobs.outcome(fault.name, fault.atMs);
  }

  private async encoder(): Promise<{ atMs: number; detail: string }> {
    const pid = this.stack.node.pid;
    const encoders = () => childPids(pid).filter((child) => commOf(child) === 'ffmpeg');
    const before = encoders();
    if (!before.length) throw new Error('no ffmpeg child of the server to kill');
    const atMs = epochMs();
    for (const victim of before) process.kill(victim, 'SIGKILL');
    const next = await this.waitFor(
      () => encoders().find((child) => !before.includes(child)),
      10_000,
    );
    return {
      atMs,
      detail: `SIGKILL ffmpeg ${before.join(', ')}; ${next ? `new encoder ${next.value} after ${next.ms.toFixed(0)} ms` : 'NO new encoder within 10 s'}`,
    };
  }

  private async sfuWorker(): Promise<{ atMs: number; detail: string }> {
    const pid = this.stack.node.pid;
    const before = mediasoupWorkers(pid);
    if (!before.length) throw new Error('no mediasoup-worker child of the server to kill');
    const victim = before[0]!;
    const atMs = epochMs();
    process.kill(victim, 'SIGKILL');
    const next = await this.waitFor(
      () => mediasoupWorkers(pid).find((child) => !before.includes(child)),
      10_000,
    );
    return {
      atMs,
      detail: `SIGKILL mediasoup-worker ${victim}; ${next ? `replaced by ${next.value} after ${next.ms.toFixed(0)} ms` : 'NOT replaced within 10 s'}`,
    };
  }

  private async redis(name: string): Promise<{ atMs: number; detail: string }> {
    await this.jobs.enqueue(name, this.jobsPerDrill);
    const atMs = epochMs();
    await this.stack.redis.stop();
    await sleep(this.redisDownMs);
    await this.stack.redis.start();
    return {
      atMs,
      detail: `redis-server shut down with ${this.jobsPerDrill} voice-cache jobs queued, started again after ${(epochMs() - atMs).toFixed(0)} ms (AOF)`,
    };
  }

  private async batchWorker(name: string): Promise<{ atMs: number; detail: string }> {
    const ids = await this.jobs.enqueue(name, this.jobsPerDrill);
    const active = await this.waitFor(async () => {
      for (const id of ids) if ((await this.jobs.state(id)) === 'active') return id;
      return undefined;
    }, 20_000);
    const victim = [...this.stack.workers]
      .reverse()
      .find((w) => w.child.exitCode === null && w.child.signalCode === null);
    if (!victim) throw new Error('no batch worker running');
    const atMs = epochMs();
    victim.killHard();
    await this.stack.startWorker();
    return {
      atMs,
      detail: `SIGKILL worker ${victim.child.pid} ${active ? `with job ${active.value} active` : '(no job seen active within 20 s)'}; new worker ready after ${(epochMs() - atMs).toFixed(0)} ms`,
    };
  }

  private async waitFor<T>(
    find: () => T | undefined | Promise<T | undefined>,
    timeoutMs: number,
  ): Promise<{ value: T; ms: number } | undefined> {
    const started = epochMs();
    while (epochMs() - started < timeoutMs) {
      const value = await find();
      if (value !== undefined) return { value, ms: epochMs() - started };
      await sleep(20);
    }
    return undefined;
  }

  /**
   * Per viewer: a gap in its video that began at the fault or after (within the wait) ended
   * when video came back; a viewer with no such gap was not affected. Waits at least
   * `SETTLE_MS`, and until no viewer's silence began after the fault, or `GIVE_UP_MS`.
   */
  private async recovery(
    atMs: number,
  ): Promise<Omit<FaultReport, 'name' | 'kind' | 'atMs' | 'detail'>> {
    const since = atMs - GAP_MS;
    const silentSinceFault = () => this.recorder.stalled().filter((s) => s.sinceMs >= since);
    while (
      epochMs() - atMs < GIVE_UP_MS &&
      (this.recorder.latestTickMs < atMs + SETTLE_MS || silentSinceFault().length > 0)
    )
      await sleep(200);
    const endMs = epochMs();
    const stalled = new Set(silentSinceFault().map((s) => s.viewer));
    const recoveredAt = new Map<number, number>();
    for (const gap of this.recorder.gaps)
      if (gap.startMs >= since && gap.startMs <= endMs && !stalled.has(gap.viewer))
        recoveredAt.set(gap.viewer, Math.max(recoveredAt.get(gap.viewer) ?? 0, gap.endMs - atMs));
    const times = [...recoveredAt.values()];
    const drops = this.recorder.drops.filter((d) => d.atMs >= atMs && d.atMs <= endMs);
    const dropReasons: Record<string, number> = {};
    for (const d of drops) dropReasons[d.reason] = (dropReasons[d.reason] ?? 0) + 1;
    return {
      viewers: this.viewers,
      affected: times.length + stalled.size,
      ...(times.length && {
        recoveryP95Ms: percentile(times, 95),
        recoveryMaxMs: Math.max(...times),
      }),
      notRecovered: stalled.size,
      drops: new Set(drops.map((d) => d.viewer)).size,
      dropReasons,
      socketDisconnects: this.recorder.socketDisconnects.filter(
        (d) => d.atMs >= atMs && d.atMs <= endMs,
      ).length,
    };
  }
}
