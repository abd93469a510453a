import type { types } from 'mediasoup';
import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';

type Mediasoup = typeof import('mediasoup');

export interface WorkerHostOptions {
  /** The WebRtcServer's UDP and TCP port; 0 picks a free one. */
  webRtcPort: number;
  /** Loopback only, or every interface with this address announced in candidates. */
  announcedAddress: string | undefined;
}

export type WorkerHostEvents = {
  died: [error: Error];
};

/**
 * One mediasoup worker process (one core) with its WebRtcServer: every viewer transport
 * on this worker shares the server's single UDP and TCP port.
 */
export class WorkerHost extends EnhancedEventEmitter<WorkerHostEvents> {
  /** Viewers whose transports live on this worker (placement by load). */
  viewers = 0;
  private closed = false;

  private constructor(
    readonly index: number,
    readonly worker: types.Worker,
    readonly webRtcServer: types.WebRtcServer,
  ) {
    super();
    worker.on('died', (error) => {
      if (this.closed) return;
      this.closed = true;
      this.safeEmit('died', error);
    });
  }

  static async start(mediasoup: Mediasoup, index: number, { webRtcPort, announcedAddress }: WorkerHostOptions): Promise<WorkerHost> {
    const worker = await mediasoup.createWorker({ logLevel: 'warn', appData: { index } });
    try {
      const ip = announcedAddress ? '0.0.0.0' : '127.0.0.1';
      const listen = (protocol: 'udp' | 'tcp'): types.TransportListenInfo => ({
        protocol,
        ip,
        ...(announcedAddress && { announcedAddress }),
        ...(webRtcPort > 0 && { port: webRtcPort }),
      });
      const webRtcServer = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
      return new WorkerHost(index, worker, webRtcServer);
    } catch (error) {
      worker.close();
      throw error;
    }
  }

  /** False once the worker died or was closed, until its replacement takes its index. */
  get alive(): boolean {
    return !this.closed;
  }

  get pid(): number {
    return this.worker.pid;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.close();
  }
}
