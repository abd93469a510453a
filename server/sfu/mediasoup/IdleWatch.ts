import type { types } from 'mediasoup';

/**
 * Calls `onIdle` once when nothing (RTP or RTCP) has reached a pipe transport for `timeoutMs`:
 * a pipe whose other node went away says nothing, it just falls silent.
 */
export class IdleWatch {
  private readonly timer: NodeJS.Timeout;
  private lastBytes = 0;
  private lastChangeMs = performance.now();
  private polling = false;
  private stopped = false;

  constructor(
    private readonly transport: types.PipeTransport,
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
  ) {
    this.timer = setInterval(() => void this.poll(), Math.min(1_000, Math.max(100, timeoutMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const [stats] = await this.transport.getStats();
      const now = performance.now();
      if (!stats || this.stopped) return;
      if (stats.bytesReceived !== this.lastBytes) {
        this.lastBytes = stats.bytesReceived;
        this.lastChangeMs = now;
      } else if (now - this.lastChangeMs >= this.timeoutMs) {
        this.stop();
        this.onIdle();
      }
    } catch {
      // The transport closed: whoever closed it stops this watch.
    } finally {
      this.polling = false;
    }
  }
}
