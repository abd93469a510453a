import { readdirSync, readFileSync } from 'node:fs';
import { childPids, sampleProcess } from '../fanout/procStats.js';

/** A process's command name (`/proc/<pid>/comm`, 15 characters at most), or '' when it is gone. */
export function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The process's start time in clock ticks since boot (field 22): a pid and its start time name one process, even after the pid is reused. */
export function startTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

/** Every descendant of `pid`, with its command and start time, so it can be killed later only if it is still that process. */
export function descendants(pid: number): { pid: number; comm: string; startTicks: number }[] {
  const found: { pid: number; comm: string; startTicks: number }[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of childPids(queue.shift()!)) {
      const startTicks = startTicksOf(child);
      if (startTicks === undefined) continue;
      found.push({ pid: child, comm: commOf(child), startTicks });
      queue.push(child);
    }
  }
  return found;
}

/** The `mediasoup-worker` children of a node process (comm is truncated to `mediasoup-worke`). */
export function mediasoupWorkers(nodePid: number): number[] {
  return childPids(nodePid).filter((pid) => commOf(pid).startsWith('mediasoup-work'));
}

/** CPU seconds (utime + stime, all threads) of each pid now. */
export function cpuSeconds(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + sampleProcess(pid).cpuSeconds, 0);
}

/**
 * The scheduler's own figures, summed over the pids' threads (`/proc/<pid>/task/<tid>/schedstat`):
 * time run on a CPU and time spent runnable but waiting for one, both in ns. Finer than
 * utime+stime (clock ticks), and the wait says how long the process queued behind others.
 */
export function schedSeconds(pids: readonly number[]): {
  run: number;
  wait: number;
  slices: number;
} {
  let run = 0;
  let wait = 0;
  let slices = 0;
  for (const pid of pids) {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [runNs = 0, waitNs = 0, count = 0] = readFileSync(
          `/proc/${pid}/task/${tid}/schedstat`,
          'utf8',
        )
          .trim()
          .split(' ')
          .map(Number);
        run += runNs / 1e9;
        wait += waitNs / 1e9;
        slices += count;
      } catch {
        // thread gone
      }
    }
  }
  return { run, wait, slices };
}

export interface CpuWindow {
  /** Cores busy over the window (1 = one core), per named process group, from utime+stime. */
  cores: Record<string, number>;
  /** The same from schedstat (ns): a cross-check at a finer grain. */
  schedCores: Record<string, number>;
  /** Time runnable but not running, in ms per second of the window. */
  waitMsPerS: Record<string, number>;
  /** Mean time runnable before each run on a CPU (ms): what a packet waits for its process to be scheduled. */
  waitMsPerSlice: Record<string, number>;
  seconds: number;
}

/** Samples each group's CPU at the start and end of a fixed window; the groups' pids are read once, at the start. */
export async function measureCpu(
  groups: Record<string, readonly number[]>,
  seconds: number,
): Promise<CpuWindow> {
  const names = Object.keys(groups);
  const read = () =>
    Object.fromEntries(
      names.map((name) => [
        name,
        { ticks: cpuSeconds(groups[name]!), ...schedSeconds(groups[name]!) },
      ]),
    );
  const startMs = performance.now();
  const before = read();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = read();
  const wall = (performance.now() - startMs) / 1000;
  const per = (f: (name: string) => number) =>
    Object.fromEntries(names.map((name) => [name, f(name)]));
  return {
    cores: per((name) => (after[name]!.ticks - before[name]!.ticks) / wall),
    schedCores: per((name) => (after[name]!.run - before[name]!.run) / wall),
    waitMsPerS: per((name) => ((after[name]!.wait - before[name]!.wait) * 1000) / wall),
    waitMsPerSlice: per(
      (name) =>
        ((after[name]!.wait - before[name]!.wait) * 1000) /
        Math.max(1, after[name]!.slices - before[name]!.slices),
    ),
    seconds: wall,
  };
}
