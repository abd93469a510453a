import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import { BenchCluster } from '../cluster/cluster.js';
import {
  privateRedis,
  spawnWorker,
  type PrivateRedis,
  type WorkerProcess,
} from '../../test/helpers/batch.js';
import type { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { uncappedCatalog } from '../overlay/uncappedCatalog.js';
import type { SoakConfig } from './config.js';

/**
 * What the soak runs against, each a process of its own: a redis-server of the soak's (AOF on,
 * so a restart loses nothing queued, and restarting it never touches the machine's shared
 * Redis), one OnAir node (`server/main.ts`, mediasoup, one worker), and batch workers
 * (`npm run worker`). Everything it started is killed by `killNow`, also from an exit handler.
 */
export class SoakStack {
  readonly workers: WorkerProcess[] = [];
  private closed = false;

  private constructor(
    readonly redis: PrivateRedis,
    readonly cluster: BenchCluster,
    readonly node: NodeProcess,
  ) {}

  static async start(config: SoakConfig): Promise<SoakStack> {
    const redis = await privateRedis();
    const viewers = config.webrtcViewers + config.socketViewers;
    // Enough copies of each CTA that no socket viewer dismisses them all within the run.
    const ctasPerViewer = Math.ceil((config.minutes * 60_000) / config.eventIntervalMs / 2);
    const templates = (
      JSON.parse(
        readFileSync(path.join(ROOT_DIR, 'assets/overlays/templates.json'), 'utf8'),
      ) as unknown[]
    ).length;
    const overlayDir = uncappedCatalog(Math.max(2, Math.ceil(ctasPerViewer / templates) + 1));
    const cluster = new BenchCluster({
      REDIS_URL: redis.url,
      RESOLUTION: config.resolution,
      HLS: config.hls,
      SFU_BACKEND: 'mediasoup',
      OVERLAY_DIR: overlayDir,
      MAX_VIEWERS_PER_SHOW: String(viewers + 100),
      MAX_SOCKETS: String(2 * viewers + 100),
    });
    try {
      const node = await cluster.start('soak-1');
      const stack = new SoakStack(redis, cluster, node);
      await stack.startWorker();
      return stack;
    } catch (error) {
      cluster.killAllNow();
      await redis.stop();
      throw error;
    }
  }

  /** The environment a batch worker shares with the node: same Redis, prefixes and asset folder. */
  get batchEnv(): Record<string, string> {
    const { env } = this.cluster;
    return {
      REDIS_URL: this.redis.url,
      QUEUE_PREFIX: env.QUEUE_PREFIX!,
      ASSET_PREFIX: env.ASSET_PREFIX!,
      ASSET_DIR: env.ASSET_DIR!,
      // A killed worker's job is taken as stalled within seconds, not BullMQ's default 30 s.
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_LOCK_DURATION_MS: '2000',
    };
  }

  async startWorker(): Promise<WorkerProcess> {
    const worker = await spawnWorker(this.batchEnv);
    this.workers.push(worker);
    return worker;
  }

  /** Synchronous last resort (an exit handler): SIGKILL to everything still running. */
  killNow(): void {
    for (const worker of this.workers) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
      try {
        worker.killHard();
      } catch {
        // gone meanwhile
      }
    }
    this.cluster.killAllNow();
    // The private redis-server is killed by its own exit handler (test/helpers/batch.ts).
  }

  /** Stops everything; the server's log stays when `keepLogs`. */
  async close(keepLogs = false): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.stop()));
    await this.cluster.close(keepLogs);
    await this.redis.stop();
    rmSync(this.redis.dir, { recursive: true, force: true });
    rmSync(this.cluster.env.OVERLAY_DIR!, { recursive: true, force: true });
  }
}
