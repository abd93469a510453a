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
  /** Egress worker threads for OnAir; undefined lets WeriftSfu choose (one per core). */
  onairShards: number | undefined;
  /** Seconds of the idle (0 viewer) baseline measured once per SFU. */
  idleSeconds: number;
  /** CPU lists for taskset: SFUs on one set, load generator and source on another (FANOUT_PIN). */
  pin: { sfu: string; load: string } | undefined;
  /** A step is clean (counts towards viewers per core) only with p95 relay delay at or below this. */
  cleanDelayP95Ms: number;
  /** A step is clean only when busy time outside the benchmark's processes stays below this (% of one core). */
  maxUnattributedPercent: number;
}

export type TargetName = 'onair' | 'janus';

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
  const targets = (env.FANOUT_TARGETS ?? 'onair,janus')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is TargetName => s === 'onair' || s === 'janus');
  if (targets.length === 0) throw new Error('FANOUT_TARGETS must name onair and/or janus');
  return {
    viewerCounts: numberList(env.FANOUT_N, [25, 50, 100, 200]),
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
    idleSeconds: boundedNumber(env.FANOUT_IDLE_SECONDS, 5, 0, 60, 'FANOUT_IDLE_SECONDS'),
    pin: readPin(env.FANOUT_PIN),
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

/** Nominal bits per second on the wire (RTP payload + 12-byte header, no UDP/IP). */
export const NOMINAL_BITRATE =
  (STREAM.fps * STREAM.packetsPerFrame * (STREAM.videoPacketBytes + 12) +
    (1000 / STREAM.audioIntervalMs) * (STREAM.audioPacketBytes + 12)) *
  8;
