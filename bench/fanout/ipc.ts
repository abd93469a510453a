import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Child side: post a message to the orchestrator (no-op when run standalone). */
export function sendToParent(message: object): void {
  if (process.send && process.connected) process.send(message);
}

/** Child side: exit when the orchestrator's IPC channel closes (it died or is done). */
export function exitWithParent(cleanup: () => void | Promise<void>): void {
  let exiting = false;
  const exit = (code: number) => {
    if (exiting) return;
    exiting = true;
    const hardStop = setTimeout(() => process.exit(code), 3000);
    hardStop.unref();
    void Promise.resolve()
      .then(cleanup)
      .catch(() => undefined)
      .finally(() => process.exit(code));
  };
  process.on('disconnect', () => exit(0));
  process.on('SIGTERM', () => exit(0));
  process.on('SIGINT', () => exit(0));
}

const children = new Set<ChildProcess>();
let hooksInstalled = false;

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping child processes`);
      killAll();
      process.exit(130);
    });
  }
}

/** Any child process the orchestrator starts; killed when it exits. */
export function track(child: ChildProcess): ChildProcess {
  installHooks();
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Starts a sibling .ts module as a node child with tsx loaded in-process (`node --import tsx`),
 * so the child's pid is the process doing the work (the tsx CLI would put a wrapper in between).
 */
export function spawnTsChild(
  moduleName: string,
  args: string[],
  options: SpawnOptions = {},
  cpus?: string,
): ChildProcess {
  const file = fileURLToPath(new URL(`./${moduleName}.ts`, import.meta.url));
  const [command, commandArgs] = pinned(cpus, process.execPath, ['--import', 'tsx', file, ...args]);
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...options,
  });
  return track(child);
}

/** Waits for the first IPC message accepted by `match`, rejecting on exit or after `timeoutMs`. */
export function waitForMessage<T>(
  child: ChildProcess,
  match: (message: unknown) => message is T,
  timeoutMs: number,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: unknown) => {
      if (!match(message)) return;
      cleanup();
      resolve(message);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`${what}: child exited (${code ?? signal}) before answering`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`${what}: no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export function isType<T extends { type: string }>(type: T['type']) {
  return (message: unknown): message is T =>
    typeof message === 'object' &&
    message !== null &&
    (message as { type?: unknown }).type === type;
}

/** Ends a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/**
 * Wraps a command in `taskset -c <cpus>` when a CPU list is given. taskset execs the command,
 * so the child's pid is still the process doing the work.
 */
export function pinned(
  cpus: string | undefined,
  command: string,
  args: string[],
): [string, string[]] {
  return cpus ? ['taskset', ['-c', cpus, command, ...args]] : [command, args];
}
