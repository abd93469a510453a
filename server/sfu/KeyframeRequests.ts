/** Viewers' PLI/FIR repeat every few ms while a picture is broken; one request per window reaches the encoder. */
const COALESCE_MS = 300;

/** Counts keyframe requests and coalesces them per show, the same way on every SFU backend. */
export class KeyframeRequests {
  private readonly lastForwardedMs = new Map<string, number>();
  received = 0;

  /** Counts a request; true when it should be passed on (the first in its window). */
  take(showId: string, nowMs = performance.now()): boolean {
    this.received++;
    if (nowMs - (this.lastForwardedMs.get(showId) ?? -Infinity) < COALESCE_MS) return false;
    this.lastForwardedMs.set(showId, nowMs);
    return true;
  }

  forget(showId: string): void {
    this.lastForwardedMs.delete(showId);
  }
}
