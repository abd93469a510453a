import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import { answersPing, freePort } from '../../server/redis/connectRedis.js';

type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitUntil<T>(check: () => Promise<T> | T, timeoutMs: number, what: string, everyMs = 100): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface WorkerProcess {
  child: ChildProcess;
  output: string[];
  /** SIGKILL to the worker's whole process group (it and its sandboxed render children). */
  killHard(): void;
  stop(): Promise<void>;
}

/** `npm run worker` as a real process group, with the test's batch environment. */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT_DIR, 'pipeline/jobs/workerMain.ts')], {
    cwd: ROOT_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(...d.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (d: Buffer) => output.push(...d.toString().split('\n').filter(Boolean)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitUntil(() => output.some((l) => l.includes('onair worker ready')) || child.exitCode !== null, 20_000, 'the worker to start');
  if (child.exitCode !== null) throw new Error(`worker exited: ${output.join('\n')}`);
  return {
    child,
    output,
    killHard: () => process.kill(-child.pid!, 'SIGKILL'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface PrivateRedis {
  url: string;
  /** Its working folder (the append-only file): the caller's to delete once it has stopped. */
  dir: string;
  start(): Promise<void>;
  /** SHUTDOWN: with the append-only file on, queued jobs survive the restart. */
  stop(): Promise<void>;
}

/** A redis-server of the test's own on a free port, with AOF persistence in a temp folder. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'onair-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const redis: PrivateRedis = {
    url,
    dir,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: 'ignore' });
      await waitUntil(() => answersPing(url), 5_000, 'the private redis-server');
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
  await redis.start();
  process.once('exit', () => child?.kill('SIGKILL'));
  return redis;
}
