/** The soak's settings, all from the environment (docs/benchmarks.md, "Soak"). */
const num = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
  return value;
};

export interface SoakConfig {
  minutes: number;
  webrtcViewers: number;
  socketViewers: number;
  /** WebRTC viewers per load process: werift's SRTP is JavaScript, so one process holds a few dozen. */
  webrtcPerProcess: number;
  socketPerProcess: number;
  /** Each socket viewer sends one event this often (the viewer page's heartbeat: 5 s). */
  eventIntervalMs: number;
  /** Every n-th WebRTC viewer samples its playout lag. */
  lagEvery: number;
  cueEveryMs: number;
  pollEveryMs: number;
  chaos: boolean;
  encoderKills: number;
  /** Voice-cache jobs queued before each Redis and batch-worker drill. */
  jobsPerDrill: number;
  redisDownMs: number;
  /** Minutes of warm-up before RSS and latencies are compared (5 in the issue; less in a short run). */
  warmupMinutes: number;
  report: string | undefined;
  resolution: string;
  hls: string;
}

export function loadSoakConfig(): SoakConfig {
  const minutes = num('SOAK_MINUTES', 30);
  if (minutes < 1) throw new Error('SOAK_MINUTES must be at least 1');
  return {
    minutes,
    webrtcViewers: num('SOAK_WEBRTC_VIEWERS', 200),
    socketViewers: num('SOAK_SOCKET_VIEWERS', 1000),
    webrtcPerProcess: Math.max(1, num('SOAK_WEBRTC_PER_PROCESS', 50)),
    socketPerProcess: Math.max(1, num('SOAK_SOCKETS_PER_PROCESS', 500)),
    eventIntervalMs: Math.max(100, num('SOAK_EVENT_INTERVAL_MS', 5_000)),
    lagEvery: Math.max(1, num('SOAK_LAG_EVERY', 5)),
    cueEveryMs: num('SOAK_CUE_SECONDS', 10) * 1000,
    pollEveryMs: num('SOAK_POLL_SECONDS', 120) * 1000,
    chaos: process.env.SOAK_CHAOS === '1',
    encoderKills: num('SOAK_ENCODER_KILLS', 10),
    jobsPerDrill: Math.max(1, num('SOAK_DRILL_JOBS', 4)),
    redisDownMs: num('SOAK_REDIS_DOWN_MS', 2_000),
    // The "after the first 5 minutes"; a run too short for that leaves its first third.
    warmupMinutes: Math.min(5, Math.floor(minutes / 3)),
    report: process.env.SOAK_REPORT || undefined,
    resolution: process.env.RESOLUTION ?? '360p',
    hls: process.env.SOAK_HLS ?? 'true',
  };
}
