/** Benchmark settings, from the environment. */
export interface FanoutConfig {
  /** Viewer counts, one step each. */
  viewerCounts: number[];
  /** Measurement window per step, after every viewer is connected and a settle time has passed. */
  measureSeconds: number;
  /** Seconds between the last viewer connecting and the window opening. */
  settleSeconds: number;
  /** Bound on connecting one step's viewers. */
  connectTimeoutSeconds: number;
  /** Which SFUs to run, in order. */
  targets: TargetName[];
  /** Egress worker threads for OnAir's werift backend; undefined lets WeriftSfu choose (one per core). */
  onairShards: number | undefined;
  /** Worker processes for OnAir's mediasoup backend; undefined lets MediasoupSfu choose (one per core). */
  mediasoupWorkers: number | undefined;
  /** Load generator processes per step: a number, or 'auto' (one per `viewersPerLoadgen` viewers, at most one per core). */
  loadgenProcesses: number | 'auto';
  /** With loadgenProcesses 'auto': viewers one load generator process takes before a second is started. */
  viewersPerLoadgen: number;
  /**
   * How the viewers handle media. 'raw': werift does ICE, DTLS and RTCP, but RTP is taken off
   * the UDP socket before werift's SRTP and receiver pipeline, counted from the clear header,
   * and only every `delayEvery`-th packet per stream is decrypted to read the send stamp.
   * 'werift': every packet goes through werift's full receive path (SRTP, receiver, track).
   */
  loadgenMode: LoadgenMode;
  /**
   * 'raw' mode: decrypt one packet in this many per stream for the relay delay; 'auto' picks
   * it per load generator process for about DELAY_DECRYPTS_PER_SECOND decryptions a second.
   */
  delayEvery: number | 'auto';
  /** Seconds of the idle (0 viewer) baseline measured once per SFU. */
  idleSeconds: number;
  /** CPU lists for taskset: SFUs on one set, load generator and source on another (FANOUT_PIN). */
  pin: { sfu: string; load: string } | undefined;
  /** Skip a target's larger N once its SFU was the limit of a step (FANOUT_STOP_AT_SFU_LIMIT=0 runs them). */
  stopAtSfuLimit: boolean;
  /** A step is clean (counts towards viewers per core) only with p95 relay delay at or below this. */
  cleanDelayP95Ms: number;
  /** A step is clean only when busy time outside the benchmark's processes stays below this (% of one core). */
  maxUnattributedPercent: number;
}

/** 'werift' and 'mediasoup' are OnAir's two SFU backends; 'onair' is accepted for 'werift'. */
export type TargetName = 'mediasoup' | 'werift' | 'janus';
export const TARGET_NAMES: readonly TargetName[] = ['mediasoup', 'werift', 'janus'];
export type LoadgenMode = 'raw' | 'werift';

function numberList(value: string | undefined, fallback: number[]): number[] {
  if (!value) return fallback;
  const list = value
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0 && n <= 1000);
  if (list.length === 0)
    throw new Error(`FANOUT_N must be a comma-separated list of viewer counts, got "${value}"`);
  return list;
}

function boundedNumber(
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
  name: string,
): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${name} must be a number in [${min}, ${max}], got "${value}"`);
  return n;
}

/** FANOUT_PIN=1 → SFU on CPU 0, load on CPU 1; or FANOUT_PIN="sfu=0,1;load=2,3". */
function readPin(value: string | undefined): FanoutConfig['pin'] {
  if (!value || value === '0') return undefined;
  if (value === '1') return { sfu: '0', load: '1' };
  const match = /^sfu=([0-9,-]+);load=([0-9,-]+)$/.exec(value);
  if (!match) throw new Error(`FANOUT_PIN must be 1 or "sfu=<cpus>;load=<cpus>", got "${value}"`);
  return { sfu: match[1]!, load: match[2]! };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): FanoutConfig {
  const named = (env.FANOUT_TARGETS ?? TARGET_NAMES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => (s === 'onair' ? 'werift' : s));
  const unknown = named.filter((s) => !(TARGET_NAMES as readonly string[]).includes(s));
  if (unknown.length || named.length === 0)
    throw new Error(
      `FANOUT_TARGETS must name some of ${TARGET_NAMES.join(', ')} (onair = werift), got "${env.FANOUT_TARGETS}"`,
    );
  const targets = [...new Set(named as TargetName[])];
  const mode = env.FANOUT_LOADGEN_MODE ?? 'raw';
  if (mode !== 'raw' && mode !== 'werift')
    throw new Error(`FANOUT_LOADGEN_MODE must be raw or werift, got "${mode}"`);
  const procs = env.FANOUT_LOADGEN_PROCS ?? 'auto';
  return {
    viewerCounts: numberList(env.FANOUT_N, [50, 100, 200, 300, 400]),
    measureSeconds: boundedNumber(env.FANOUT_SECONDS, 15, 2, 300, 'FANOUT_SECONDS'),
    settleSeconds: boundedNumber(env.FANOUT_SETTLE_SECONDS, 3, 0, 60, 'FANOUT_SETTLE_SECONDS'),
    connectTimeoutSeconds: boundedNumber(
      env.FANOUT_CONNECT_TIMEOUT,
      30,
      5,
      300,
      'FANOUT_CONNECT_TIMEOUT',
    ),
    targets,
    onairShards: env.FANOUT_ONAIR_SHARDS
      ? boundedNumber(env.FANOUT_ONAIR_SHARDS, 1, 1, 64, 'FANOUT_ONAIR_SHARDS')
      : undefined,
    mediasoupWorkers: env.FANOUT_MEDIASOUP_WORKERS
      ? boundedNumber(env.FANOUT_MEDIASOUP_WORKERS, 1, 1, 64, 'FANOUT_MEDIASOUP_WORKERS')
      : undefined,
    loadgenProcesses:
      procs === 'auto' ? 'auto' : boundedNumber(procs, 1, 1, 16, 'FANOUT_LOADGEN_PROCS'),
    viewersPerLoadgen: boundedNumber(
      env.FANOUT_VIEWERS_PER_LOADGEN,
      250,
      1,
      10_000,
      'FANOUT_VIEWERS_PER_LOADGEN',
    ),
    loadgenMode: mode,
    delayEvery:
      (env.FANOUT_DELAY_EVERY ?? 'auto') === 'auto'
        ? 'auto'
        : boundedNumber(env.FANOUT_DELAY_EVERY, 1, 1, MAX_DELAY_EVERY, 'FANOUT_DELAY_EVERY'),
    idleSeconds: boundedNumber(env.FANOUT_IDLE_SECONDS, 5, 0, 60, 'FANOUT_IDLE_SECONDS'),
    pin: readPin(env.FANOUT_PIN),
    stopAtSfuLimit: env.FANOUT_STOP_AT_SFU_LIMIT !== '0',
    cleanDelayP95Ms: boundedNumber(env.FANOUT_CLEAN_P95_MS, 100, 1, 10_000, 'FANOUT_CLEAN_P95_MS'),
    maxUnattributedPercent: boundedNumber(
      env.FANOUT_MAX_UNATTRIBUTED,
      20,
      0,
      10_000,
      'FANOUT_MAX_UNATTRIBUTED',
    ),
  };
}

/**
 * Raw receive path: each sampled decryption costs ~20 µs of the load generator's one JS thread
 * (a new AES and HMAC context per packet in werift), so it samples about this many a second
 * per process, whatever the viewer count: ~15 000 delay samples per 15 s window.
 */
export const DELAY_DECRYPTS_PER_SECOND = 1000;
/**
 * Gaps between decrypted packets of a stream must stay well under 100 sequence numbers:
 * werift's SRTP context infers the rollover counter only from the sequence numbers it sees.
 */
export const MAX_DELAY_EVERY = 50;

/** The synthetic stream: ~1.06 Mbps VP8-like video at 30 fps plus Opus-like audio every 20 ms. */
export const STREAM = {
  videoPayloadType: 96,
  audioPayloadType: 111,
  videoSsrc: 0x0a11ce01,
  audioSsrc: 0x0a11ce02,
  fps: 30,
  packetsPerFrame: 4,
  videoPacketBytes: 1100,
  keyframeInterval: 30,
  audioIntervalMs: 20,
  audioPacketBytes: 80,
} as const;

/** RTP packets a viewer receives per second (video and audio). */
export const PACKETS_PER_SECOND =
  STREAM.fps * STREAM.packetsPerFrame + 1000 / STREAM.audioIntervalMs;

/** Nominal bits per second on the wire (RTP payload + 12-byte header, no UDP/IP). */
export const NOMINAL_BITRATE =
  (STREAM.fps * STREAM.packetsPerFrame * (STREAM.videoPacketBytes + 12) +
    (1000 / STREAM.audioIntervalMs) * (STREAM.audioPacketBytes + 12)) *
  8;
