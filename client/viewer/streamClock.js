// The show's stream time of the frame on screen, from the RTP timestamp Chromium reports for
// each presented WebRTC frame (requestVideoFrameCallback) and the server's sync point
// {rtpTimestamp, streamTimeMs}. Audio plays in sync with video, so this is also what the
// viewer hears now: word-timed overlays wait for it.
export class StreamClock {
  constructor(video) {
    this.video = video;
    this.sync = null;
    this.frameStreamTimeMs = null;
    this.waiting = [];
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback((now, meta) => this.onFrame(meta));
  }

  setSync(sync) {
    this.sync = sync;
  }

  /**
   * Runs `fn` when the frame for `streamTimeMs` is on screen (now if it already was). Without
   * frame timestamps (another browser, or no sync yet) it runs after `fallbackDelayMs`.
   */
  at(streamTimeMs, fn, fallbackDelayMs) {
    if (this.frameStreamTimeMs !== null && this.frameStreamTimeMs >= streamTimeMs - HALF_FRAME_MS) return fn();
    this.waiting.push({ streamTimeMs, fn });
    const stalled = this.frameStreamTimeMs === null ? fallbackDelayMs : fallbackDelayMs + STALL_GRACE_MS;
    setTimeout(() => this.release((w) => w.fn === fn), stalled);
  }

  onFrame(meta) {
    if (this.sync && typeof meta.rtpTimestamp === 'number') {
      const ticks = (meta.rtpTimestamp - this.sync.rtpTimestamp) >>> 0;
      // A frame older than the sync point wraps to a huge count: treat it as before the sync.
      this.frameStreamTimeMs = ticks < 2 ** 31 ? this.sync.streamTimeMs + ticks / 90 : null;
      if (this.frameStreamTimeMs !== null) this.release((w) => this.frameStreamTimeMs >= w.streamTimeMs - HALF_FRAME_MS);
    }
    this.video.requestVideoFrameCallback((now, next) => this.onFrame(next));
  }

  release(due) {
    const ready = this.waiting.filter(due);
    this.waiting = this.waiting.filter((w) => !ready.includes(w));
    for (const w of ready) w.fn();
  }
}

const HALF_FRAME_MS = 17;
/** With a working clock the frame callback releases it; the timer only catches a stalled video. */
const STALL_GRACE_MS = 2000;
