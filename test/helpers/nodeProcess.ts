import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import { freePort } from '../../server/redis/connectRedis.js';
import { HOST_TOKEN, PRODUCER_TOKEN } from './startOnAir.js';

/**
 * One OnAir node as its own process (`server/main.ts`, as `npm start` runs it), for tests
 * that kill nodes. Its log goes to a file named in failures.
 */
export class NodeProcess {
  private constructor(
    readonly nodeId: string,
    readonly url: string,
    readonly logFile: string,
    private readonly child: ChildProcess,
    readonly exited: Promise<void>,
  ) {}

  static async start(nodeId: string, env: Record<string, string>): Promise<NodeProcess> {
    const port = await freePort();
    const logFile = join(tmpdir(), `onair-${nodeId}-${port}.log`);
    const log = createWriteStream(logFile);
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT_DIR,
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        NODE_ID: nodeId,
        HOST_TOKEN,
        PRODUCER_TOKEN,
        LOG_LEVEL: 'warn',
        DEMO_SHOW: 'false',
        SFU_BACKEND: 'mediasoup',
        SFU_WORKERS: '1',
        WEBRTC_PORT: '0',
        EMBEDDED_WORKER: 'false',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const node = new NodeProcess(nodeId, `http://127.0.0.1:${port}`, logFile, child, exited);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`node ${nodeId} exited at start (${child.exitCode}); log: ${logFile}`);
      const ok = await fetch(`${node.url}/readyz`).then((r) => r.ok, () => false);
      if (ok) return node;
      if (Date.now() > deadline) throw new Error(`node ${nodeId} did not become ready; log: ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** SIGKILL: no shutdown, no goodbye to the cluster. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, as an operator stops it; SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const force = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(force);
  }
}
