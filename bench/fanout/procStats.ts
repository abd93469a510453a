import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds (user + system, all threads) and RSS of a process, from /proc. */
export interface ProcSample {
  atMs: number;
  cpuSeconds: number;
  rssBytes: number;
}

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux x86-64
const PAGE_BYTES = 4096;

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // comm may hold spaces and parentheses: fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime=14, stime=15, rss=24 (1-based)
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const rssPages = Number(fields[21]);
  return {
    atMs: performance.now(),
    cpuSeconds: (utime + stime) / CLOCK_TICKS,
    rssBytes: rssPages * PAGE_BYTES,
  };
}

/** The pid's child processes (those of every thread), from /proc/<pid>/task/<tid>/children. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children;
  }
  for (const tid of tids) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' '))
        if (child.trim()) children.push(Number(child));
    } catch {
      // thread gone
    }
  }
  return children;
}

/** A process's name, or '' once it is gone. */
export function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/**
 * A pid and all its descendants (e.g. OnAir's SFU process and its mediasoup workers), less
 * tsx's esbuild service, which `node --import tsx` may start to transform a module and which
 * is part of the benchmark's harness, not of the SFU.
 */
export function processTree(pid: number, exclude: readonly string[] = ['esbuild']): number[] {
  const pids = [pid];
  for (let i = 0; i < pids.length; i++)
    pids.push(...childPids(pids[i]!).filter((child) => !exclude.includes(comm(child))));
  return pids;
}

/**
 * The sum of sampleProcess over a set of pids (CPU of all their threads, RSS summed, so pages
 * two processes share count twice). Throws if a pid is gone: a step whose SFU lost a process
 * mid-window has no valid CPU figure.
 */
export function sampleProcesses(pids: readonly number[]): ProcSample {
  const atMs = performance.now();
  let cpuSeconds = 0;
  let rssBytes = 0;
  for (const pid of pids) {
    const sample = sampleProcess(pid);
    cpuSeconds += sample.cpuSeconds;
    rssBytes += sample.rssBytes;
  }
  return { atMs, cpuSeconds, rssBytes };
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
export interface HostSample {
  busy: number;
  /** Soft-interrupt time: loopback UDP delivery lands here, attributed to no process. */
  softirq: number;
  total: number;
}

export function sampleHost(): HostSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    values;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, softirq, total: busy + idle + iowait };
}

/**
 * Kernel UDP counters (all sockets in one network namespace), from /proc/net/snmp, or from
 * /proc/<pid>/net/snmp for the namespace `pid` runs in (Janus' own).
 */
export interface UdpSample {
  inDatagrams: number;
  /** Datagrams dropped because a socket's receive buffer was full. */
  rcvbufErrors: number;
}

export function sampleUdp(pid?: number): UdpSample {
  let text: string;
  try {
    text = readFileSync(pid === undefined ? '/proc/net/snmp' : `/proc/${pid}/net/snmp`, 'utf8');
  } catch {
    return { inDatagrams: Number.NaN, rcvbufErrors: Number.NaN };
  }
  const lines = text.split('\n').filter((l) => l.startsWith('Udp: '));
  const names = (lines[0] ?? '').split(/\s+/).slice(1);
  const values = (lines[1] ?? '').split(/\s+/).slice(1).map(Number);
  const get = (name: string) => values[names.indexOf(name)] ?? Number.NaN;
  return { inDatagrams: get('InDatagrams'), rcvbufErrors: get('RcvbufErrors') };
}

/** Percent of one core used by a process between two samples. */
export function cpuPercent(a: ProcSample, b: ProcSample): number {
  const wallSeconds = (b.atMs - a.atMs) / 1000;
  return wallSeconds > 0 ? ((b.cpuSeconds - a.cpuSeconds) / wallSeconds) * 100 : Number.NaN;
}

/** Percent of all cores busy between two host samples (100 = every core saturated). */
export function hostBusyPercent(a: HostSample, b: HostSample): number {
  const total = b.total - a.total;
  return total > 0 ? ((b.busy - a.busy) / total) * 100 : Number.NaN;
}

/** Soft-interrupt share between two host samples, in % of all cores. */
export function hostSoftirqPercent(a: HostSample, b: HostSample): number {
  const total = b.total - a.total;
  return total > 0 ? ((b.softirq - a.softirq) / total) * 100 : Number.NaN;
}

/** Samples a set of pids every `intervalMs` while running, keeping the peak of their summed RSS. */
export class RssWatcher {
  private timer: NodeJS.Timeout | undefined;
  peakBytes = 0;

  constructor(
    private readonly pids: readonly number[],
    intervalMs = 500,
  ) {
    this.timer = setInterval(() => {
      try {
        this.peakBytes = Math.max(this.peakBytes, sampleProcesses(this.pids).rssBytes);
      } catch {
        this.stop();
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
