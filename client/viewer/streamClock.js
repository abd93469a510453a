// Where this viewer's playout is on the show's stream clock. The server sends sync points
// {streamTimeMs, audioRtpTimestamp, videoRtpTimestamp}; the page reads the RTP timestamp of
// the audio it is playing (RTCRtpReceiver.getSynchronizationSources) and of each presented
// video frame (requestVideoFrameCallback). Over HLS the playhead's program date time is the
// server's wall clock at that stream time: stream time = program date time - the stream's
// epoch (sent on join). Word-timed overlays wait for what is heard.
export class StreamClock {
  constructor(video, audioReceiver) {
    this.video = video;
    this.audioReceiver = audioReceiver;
    // The latest sync point first, then the one before: a new point (the encoder dropped
    // frames, or restarted) starts at RTP the page has not played yet.
    this.syncs = [];
    this.playingDateMs = null;
    this.streamEpochMs = null;
    this.frameStreamTimeMs = null;
    this.waiting = [];
    this.timer = null;
    if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback((now, meta) => this.onFrame(meta));
  }

  setSync(sync) {
    this.syncs = [sync, ...this.syncs].slice(0, 2);
  }

  /** Stream time of an RTP timestamp of `key` (`audioRtpTimestamp`, `videoRtpTimestamp`) at `ticksPerMs`; null before every sync point. */
  streamTimeOf(rtpTimestamp, key, ticksPerMs) {
    for (const sync of this.syncs) {
      if (sync[key] === undefined) continue;
      const ticks = (rtpTimestamp - sync[key]) >>> 0;
      // A packet older than the sync point wraps to a huge count: it is before that point.
      if (ticks < 2 ** 31) return sync.streamTimeMs + ticks / ticksPerMs;
    }
    return null;
  }

  /** Wall clock (server's, ms since the epoch) of stream time 0. */
  setStreamEpoch(streamEpochMs) {
    this.streamEpochMs = streamEpochMs;
  }

  /** HLS: `playingDateMs()` gives the playhead's program date time, or null; it replaces RTP timestamps. */
  followProgramDateTime(playingDateMs) {
    this.playingDateMs = playingDateMs;
  }

  /** Stream time of the audio being played now, or of the frame on screen; null before a sync point. */
  now() {
    return this.heardStreamTimeMs() ?? this.frameStreamTimeMs;
  }

  /**
   * Runs `fn` when the viewer hears `streamTimeMs` (now if it already has). Without a usable
   * clock (no sync point yet, another browser) it runs after `fallbackDelayMs`.
   */
  at(streamTimeMs, fn, fallbackDelayMs) {
    if (this.now() !== null && this.now() >= streamTimeMs) return fn();
    this.waiting.push({ streamTimeMs, fn });
    const stalled = this.now() === null ? fallbackDelayMs : fallbackDelayMs + STALL_GRACE_MS;
    setTimeout(() => this.release((w) => w.fn === fn), stalled);
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
  }

  heardStreamTimeMs() {
    if (this.playingDateMs) return this.playheadStreamTimeMs();
    const [source] = this.audioReceiver()?.getSynchronizationSources?.() ?? [];
    const streamTimeMs = source ? this.streamTimeOf(source.rtpTimestamp, 'audioRtpTimestamp', 48) : null;
    if (streamTimeMs === null) return null;
    // The source's timestamp is when that audio was played; time has gone on since.
    return streamTimeMs + Math.max(0, nowLike(source.timestamp) - source.timestamp);
  }

  playheadStreamTimeMs() {
    const dateMs = this.playingDateMs();
    return dateMs === null || this.streamEpochMs === null ? null : dateMs - this.streamEpochMs;
  }

  onFrame(meta) {
    if (typeof meta.rtpTimestamp === 'number') this.frameStreamTimeMs = this.streamTimeOf(meta.rtpTimestamp, 'videoRtpTimestamp', 90);
    this.video.requestVideoFrameCallback((now, next) => this.onFrame(next));
  }

  poll() {
    const now = this.now();
    if (now !== null) this.release((w) => now >= w.streamTimeMs);
  }

  release(due) {
    const ready = this.waiting.filter(due);
    this.waiting = this.waiting.filter((w) => !ready.includes(w));
    if (this.waiting.length === 0) this.timer = clearInterval(this.timer) ?? null;
    for (const w of ready) w.fn();
  }
}

const POLL_MS = 5;
/** With a working clock the poll releases it; the timer only catches a stalled stream. */
const STALL_GRACE_MS = 2000;

/** Chromium reports source timestamps on the wall clock; the spec puts them on performance.now(). */
const nowLike = (timestamp) => (timestamp > 1e12 ? Date.now() : performance.now());
