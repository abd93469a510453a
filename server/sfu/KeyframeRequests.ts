/**
 * Viewers' PLI/FIR repeat every few ms while a picture is broken, and joins come in bursts; each
 * forced keyframe costs a few P-frames' worth of bits. So at most one request per window reaches
 * the encoder. A request inside a window is not dropped but deferred to the window's end: the
 * viewer that asked last (one whose transport just connected, say) still gets its keyframe.
 */
const WINDOW_MS = 150;

/** Counts keyframe requests and throttles them per show, the same way on every SFU backend. */
export class KeyframeRequests {
  private readonly lastForwardedMs = new Map<string, number>();
  private readonly deferred = new Map<string, NodeJS.Timeout>();
  received = 0;

  constructor(private readonly forward: (showId: string) => void) {}

  request(showId: string): void {
    this.received++;
    if (this.deferred.has(showId)) return;
    const waitMs = (this.lastForwardedMs.get(showId) ?? -Infinity) + WINDOW_MS - performance.now();
    if (waitMs <= 0) return this.pass(showId);
    this.deferred.set(showId, setTimeout(() => (this.deferred.delete(showId), this.pass(showId)), waitMs));
  }

  forget(showId: string): void {
    clearTimeout(this.deferred.get(showId));
    this.deferred.delete(showId);
    this.lastForwardedMs.delete(showId);
  }

  close(): void {
    for (const showId of [...this.deferred.keys()]) this.forget(showId);
  }

  private pass(showId: string): void {
    this.lastForwardedMs.set(showId, performance.now());
    this.forward(showId);
  }
}
