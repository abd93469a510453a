import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import type { LoadMessage, SocketTick, WebrtcTick } from './protocol.js';

/**
 * A load generator in a process of its own (`webrtcLoad.ts`, `socketLoad.ts`), so its CPU is
 * not the measuring driver's: started, ready, its ticks handed on, stopped.
 */
export class LoadProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {}

  static async start<Tick extends WebrtcTick | SocketTick>(
    name: string,
    script: string,
    args: object,
    onTick: (tick: Tick) => void,
    timeoutMs: number,
  ): Promise<LoadProcess> {
    const child = fork(path.join(ROOT_DIR, 'bench/soak', script), [JSON.stringify(args)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on(
      'message',
      (message: LoadMessage) => message.type === 'tick' && onTick(message as Tick),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name}: not ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.on('message', (message: LoadMessage) => {
        if (message.type !== 'ready' && message.type !== 'failed') return;
        clearTimeout(timer);
        if (message.type === 'ready') resolve();
        else reject(new Error(`${name}: ${message.error}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited with ${code} before it was ready`));
      });
    }).catch((error: Error) => {
      child.kill('SIGKILL');
      throw error;
    });
    return new LoadProcess(name, child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Asks it to close its viewers; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ type: 'stop' });
    const force = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(force);
  }

  /** Synchronous, for an exit handler. */
  killNow(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
