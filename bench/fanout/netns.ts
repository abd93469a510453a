/**
 * A private network namespace for Janus, joined to the host by a veth pair.
 *
 * Janus 1.1 will not gather ICE candidates on loopback, and benchmark traffic may only go to
 * 127.0.0.0/8 or to test hosts the run creates itself. So Janus runs in a namespace this
 * process creates (`onair-fanout-<pid>`), and every packet for Janus (HTTP API, RTP input,
 * ICE/DTLS/SRTP) goes to the namespace's veth address 10.213.<x>.2; the host end is
 * 10.213.<x>.1/30. Nothing in the benchmark addresses any other non-loopback address.
 *
 * Teardown is idempotent and also runs synchronously on process exit (SIGINT, SIGTERM, hard
 * stop, uncaught error): the host veth is deleted, then the namespace. Namespaces left by a
 * crashed run (owner pid no longer alive) are removed at start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const NETNS_PREFIX = 'onair-fanout-';
const HOST_VETH_PREFIX = 'ofh';
const NS_VETH_PREFIX = 'ofn';
const SUBNET_PREFIX = '10.213.';

export interface BenchNetns {
  /** Namespace name, `onair-fanout-<pid>`. */
  name: string;
  /** Host end of the veth pair. */
  hostIf: string;
  /** Namespace end of the veth pair (Janus' ice_enforce_list). */
  nsIf: string;
  /** Address of the host end (the Janus viewers and the RTP source bind here). */
  hostAddress: string;
  /** Address of the namespace end (Janus listens and gathers here). */
  nsAddress: string;
  /** `ip netns exec <name>` prefix for a command. */
  exec(command: string, args: string[]): [string, string[]];
  /** Deletes the veth and the namespace; safe to call more than once. */
  destroy(): void;
}

export class NetnsUnavailableError extends Error {}

function ip(args: string[], timeoutMs = 10_000): string {
  return execFileSync('ip', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
}

function quietIp(args: string[]): void {
  try {
    ip(args);
  } catch {
    // already gone
  }
}

function pidAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}`)) return false;
  try {
    // A live pid that is not a node process is a recycled pid: the owner is gone.
    return /node|tsx/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

function listNetns(): string[] {
  try {
    return ip(['netns', 'list'])
      .split('\n')
      .map((line) => line.trim().split(/\s+/)[0] ?? '')
      .filter(Boolean);
  } catch {
    return [];
  }
}

/** Removes namespaces (and their processes and host veths) left by runs whose pid is gone. */
export function cleanStaleNetns(log: (line: string) => void = console.log): void {
  for (const name of listNetns()) {
    if (!name.startsWith(NETNS_PREFIX)) continue;
    const owner = Number(name.slice(NETNS_PREFIX.length));
    if (!Number.isInteger(owner) || owner === process.pid || pidAlive(owner)) continue;
    // Processes still inside it are the crashed run's Janus; they keep the namespace alive.
    let pids: number[] = [];
    try {
      pids = ip(['netns', 'pids', name]).split(/\s+/).filter(Boolean).map(Number);
    } catch {
      // none
    }
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    quietIp(['link', 'del', `${HOST_VETH_PREFIX}${owner}`]);
    quietIp(['netns', 'del', name]);
    log(`removed stale namespace ${name}${pids.length ? ` (killed pids ${pids.join(', ')})` : ''}`);
  }
  // Host veths whose namespace was deleted but whose link survived.
  let links: string;
  try {
    links = ip(['-o', 'link', 'show']);
  } catch {
    return;
  }
  for (const match of links.matchAll(/^\d+:\s+(ofh(\d+))[@:]/gm)) {
    const owner = Number(match[2]);
    if (owner !== process.pid && !pidAlive(owner)) quietIp(['link', 'del', match[1]!]);
  }
}

/** A 10.213.<x>.0/30 not already on any host interface. */
function freeSubnet(): number {
  const used = new Set<number>();
  try {
    for (const match of ip(['-4', '-o', 'addr', 'show']).matchAll(/inet 10\.213\.(\d+)\./g))
      used.add(Number(match[1]));
    for (const match of ip(['-4', 'route', 'show']).matchAll(/10\.213\.(\d+)\./g))
      used.add(Number(match[1]));
  } catch {
    // fall through with what we have
  }
  for (let i = 0; i < 256; i++) {
    const x = (process.pid + i) % 256;
    if (!used.has(x)) return x;
  }
  throw new NetnsUnavailableError('no free 10.213.x.0/30 subnet for the Janus namespace');
}

const live = new Set<BenchNetns>();
let exitHookInstalled = false;

/** Creates `onair-fanout-<pid>` with a veth pair and brings it up. Throws NetnsUnavailableError. */
export function createNetns(): BenchNetns {
  const name = `${NETNS_PREFIX}${process.pid}`;
  const hostIf = `${HOST_VETH_PREFIX}${process.pid}`;
  const nsIf = `${NS_VETH_PREFIX}${process.pid}`;
  const x = freeSubnet();
  const hostAddress = `${SUBNET_PREFIX}${x}.1`;
  const nsAddress = `${SUBNET_PREFIX}${x}.2`;

  let destroyed = false;
  const netns: BenchNetns = {
    name,
    hostIf,
    nsIf,
    hostAddress,
    nsAddress,
    exec: (command, args) => ['ip', ['netns', 'exec', name, command, ...args]],
    destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(netns);
      // Deleting the host end removes the pair at once; `netns del` alone frees it lazily.
      quietIp(['link', 'del', hostIf]);
      quietIp(['netns', 'del', name]);
    },
  };

  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const n of [...live]) n.destroy();
    });
  }

  quietIp(['link', 'del', hostIf]);
  quietIp(['netns', 'del', name]);
  try {
    ip(['netns', 'add', name]);
  } catch (error) {
    throw new NetnsUnavailableError(
      `cannot create network namespace ${name} (${firstLine(error)}); Janus needs its own ` +
        'namespace (root / CAP_SYS_ADMIN and iproute2) and is not run against a host address',
    );
  }
  live.add(netns);
  try {
    ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', name]);
    ip(['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    ip(['link', 'set', hostIf, 'up']);
    ip(['-n', name, 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf]);
    ip(['-n', name, 'link', 'set', nsIf, 'up']);
    ip(['-n', name, 'link', 'set', 'lo', 'up']);
  } catch (error) {
    netns.destroy();
    throw new NetnsUnavailableError(
      `cannot set up veth ${hostIf}/${nsIf} for ${name}: ${firstLine(error)}`,
    );
  }
  return netns;
}

function firstLine(error: unknown): string {
  const e = error as { stderr?: string | Buffer; message?: string };
  const text = (e.stderr ? String(e.stderr) : '') || e.message || String(error);
  return text.trim().split('\n')[0] ?? '';
}

/**
 * Guard for every address the benchmark sends to: loopback, or the namespace end of a
 * benchmark veth (10.213.<x>.2). Anything else is a bug.
 */
export function assertBenchTarget(address: string): string {
  if (/^127\.\d+\.\d+\.\d+$/.test(address) || /^10\.213\.\d+\.2$/.test(address)) return address;
  throw new Error(
    `fan-out bench: refusing to send to ${address} (only loopback or its own namespace)`,
  );
}
