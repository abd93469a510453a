import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { StoreSettings } from '../pipeline/jobs/JobContext.js';
import { workerOptionsFromEnv } from '../pipeline/jobs/workerConfig.js';
import { llmConfigFromEnv, type LlmConfig } from '../pipeline/script/index.js';
import { parseExperimentConfig, type ExperimentConfig } from './experiments/ExperimentConfig.js';
import type { SfuSettings } from './sfu/createSfu.js';
import type { WhepLimits } from './signalling/whepRoutes.js';
import type { VideoCodecName } from '../lib/media/codecs.js';
import { CodedError } from '../lib/errors/CodedError.js';
import { parseCidr } from './http/clientAddress.js';
import { redactUrl, secretWeakness } from '../lib/secrets.js';
import type { IceSettings } from './ice/IceServers.js';
import { detectAnnouncedAddress, type NetworkInterfaces } from './ice/announcedAddress.js';

export class ConfigError extends CodedError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG_INVALID', `${variable}: ${message}`);
  }
}

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** Whether PUBLIC_URL was set (otherwise other nodes send browsers to this node's own address). */
  publicUrlSet: boolean;
  redisUrl: string | undefined;
  hostToken: string;
  hostTokenGenerated: boolean;
  producerToken: string;
  producerTokenGenerated: boolean;
  viewerTokenSecret: string;
  viewerTokenSecretGenerated: boolean;
  /** Bearer token a Prometheus scraper sends to GET /metrics (METRICS_TOKEN); host and producer tokens work too. */
  metricsToken: string | undefined;
  videoCodec: VideoCodecName;
  resolution: { width: number; height: number };
  fps: number;
  keyframeIntervalMs: number;
  videoBitrateKbps: number;
  maxViewersPerShow: number;
  /** New viewer tokens per client address: a burst, then a steady rate (poll stuffing). */
  viewerJoinsPerIp: { burst: number; perSecond: number };
  /** Reverse proxies (CIDRs) whose X-Forwarded-For names the client (TRUST_PROXY); none by default. */
  trustProxy: string[];
  /** Web origins besides OnAir's own whose pages may call its API and open its sockets (ALLOWED_ORIGINS; `*`: any). */
  allowedOrigins: string[];
  /** Origins of players that may only watch, over WHEP (WHEP_CORS_ORIGINS; `*`: any). */
  whepCorsOrigins: string[];
  /** How WHEP admits viewers besides MAX_VIEWERS_PER_SHOW (docs/security.md, "Network and viewers"). */
  whep: Omit<WhepLimits, 'maxViewersPerShow'>;
  /** Open TCP connections (HTTP, WebSocket, polling) and socket.io clients: in all and per address. */
  connections: { http: { max: number; perAddress: number }; sockets: { max: number; perAddress: number } };
  maxShows: number;
  /** Every H.264 show also streams Low-Latency HLS at /hls/:showId/index.m3u8 (docs/hls.md). */
  hls: boolean;
  /** Presenter frames are drawn on a worker thread, off the main thread's heap (renderer/rig/thread). */
  renderThread: boolean;
  /** Threads of each show's ffmpeg for x264 and filters; 0: ffmpeg's choice (EncoderSettings.threads). */
  encoderThreads: number;
  sfu: SfuSettings;
  /** Where `sfu.announcedAddresses` came from: the setting, the loopback default, detected (HOST=0.0.0.0), or loopback because nothing was detected. */
  announcedAddressSource: 'set' | 'default' | 'detected' | 'undetected';
  /** STUN and TURN servers advertised to WHEP clients (docs/deploy.md). */
  ice: IceSettings;
  demoShow: boolean;
  defaultPersona: string;
  logLevel: string;
  /** An OpenAI-compatible chat completions endpoint for low-confidence prompts; off when unset. */
  llm: LlmConfig | undefined;
  /** Where the intent stage runs: this thread or a worker thread of its own. */
  intentPlacement: 'inline' | 'worker';
  recording: {
    /** Record every show from its creation (RECORD_SHOWS). */
    allShows: boolean;
    /** Recordings older than this are deleted; 0 keeps them forever. */
    retentionMs: number;
  };
  batch: {
    queuePrefix: string;
    /** Run one batch worker inside the server process. */
    embeddedWorker: boolean;
    workerConcurrency: number;
    store: StoreSettings;
  };
  /** Nodes on one Redis form a cluster (docs/cluster.md). */
  cluster: ClusterSettings;
  /** The JSON feeds of rundowns' data slots (docs/rundown.md): only these hosts are ever polled. */
  dataFeeds: { hosts: string[]; timeoutMs: number; ttlMs: number };
  audience: {
    /** Key prefix of sessions, profiles, audit, per-arm metrics, rollouts and polls. */
    prefix: string;
    experiment: ExperimentConfig;
    plannedShowMs: number;
    sessionTtlMs: number;
    profileRetentionMs: number;
    defaultOverlay: string | undefined;
    exploreEpsilon: number;
    /** A decision's in-process budget; past it the ranker's answer is not waited for (the fallback tier decides). */
    decisionBudgetMs: number;
    /** A folder with the CTA catalog (templates.json, images/); the demo catalog in assets/ otherwise. */
    overlayDir: string | undefined;
    /** Audit rows are trimmed, and an ended show's audit stream expires, after this long (AUDIT_RETENTION_DAYS). */
    auditRetentionMs: number;
    /** Advertiser postbacks: an HMAC-SHA256 secret per campaign (CTA template id), and how old a signed timestamp may be. */
    conversions: { secrets: Record<string, string>; replayWindowMs: number };
  };
}

export interface ClusterSettings {
  /** This node's name in the cluster (NODE_ID): unique per node; the host name and a random suffix by default. */
  nodeId: string;
  /** Key prefix of the cluster's membership and show directory (CLUSTER_PREFIX): nodes that share it and REDIS_URL form one cluster. */
  prefix: string;
  /** Signs node registrations and node-to-node calls (CLUSTER_SECRET); generated once and kept in Redis when unset. */
  secret: string | undefined;
  /** How other nodes reach this node's HTTP port (CLUSTER_URL); from HOST, the announced address and PORT by default. */
  url: string | undefined;
  /** WebRTC viewers this node serves before it sends new ones to a node with room (MAX_VIEWERS_PER_NODE). */
  maxViewers: number;
}

type Env = Record<string, string | undefined>;

const RESOLUTIONS: Record<string, { width: number; height: number }> = {
  '360p': { width: 640, height: 360 },
  '720p': { width: 1280, height: 720 },
};
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads OnAir's configuration from the environment; a bad value fails naming its variable. */
export function loadConfig(env: Env = process.env, system: { networkInterfaces?: () => NetworkInterfaces } = {}): Config {
  const port = int(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST ?? '127.0.0.1';
  const announced = announcedAddresses(env, host, system.networkInterfaces ?? os.networkInterfaces);
  const hostToken = token(env, 'HOST_TOKEN');
  const producerToken = token(env, 'PRODUCER_TOKEN');
  if (hostToken.value === producerToken.value) throw new ConfigError('PRODUCER_TOKEN', 'must differ from HOST_TOKEN');
  const metricsToken = env.METRICS_TOKEN;
  if (metricsToken && (metricsToken === hostToken.value || metricsToken === producerToken.value)) throw new ConfigError('METRICS_TOKEN', 'must differ from HOST_TOKEN and PRODUCER_TOKEN');
  return {
    port,
    host,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    publicUrlSet: Boolean(env.PUBLIC_URL),
    redisUrl: redisUrl(env),
    hostToken: hostToken.value,
    hostTokenGenerated: hostToken.generated,
    producerToken: producerToken.value,
    producerTokenGenerated: producerToken.generated,
    viewerTokenSecret: secret(env, 'VIEWER_TOKEN_SECRET', 32) ?? randomBytes(32).toString('base64url'),
    viewerTokenSecretGenerated: !env.VIEWER_TOKEN_SECRET,
    metricsToken: secret(env, 'METRICS_TOKEN', 22),
    videoCodec: oneOf(env, 'VIDEO_CODEC', ['H264', 'VP8'] as const, 'H264'),
    resolution: RESOLUTIONS[oneOf(env, 'RESOLUTION', ['360p', '720p'] as const, '360p')]!,
    fps: oneOf(env, 'FPS', ['15', '24', '25', '30'] as const, '30', Number),
    keyframeIntervalMs: int(env, 'KEYFRAME_INTERVAL_MS', 500, 100, 10_000),
    videoBitrateKbps: int(env, 'VIDEO_BITRATE_KBPS', 900, 100, 20_000),
    maxViewersPerShow: int(env, 'MAX_VIEWERS_PER_SHOW', 500, 1, 100_000),
    viewerJoinsPerIp: { burst: int(env, 'VIEWER_JOIN_BURST', 100, 1, 1_000_000), perSecond: int(env, 'VIEWER_JOINS_PER_SECOND', 2, 1, 1_000_000) },
    trustProxy: cidrs(env, 'TRUST_PROXY'),
    allowedOrigins: origins(env, 'ALLOWED_ORIGINS'),
    whepCorsOrigins: origins(env, 'WHEP_CORS_ORIGINS'),
    whep: {
      hostPreviewReserve: int(env, 'HOST_PREVIEW_RESERVE', 5, 0, 1_000),
      maxSessionsPerViewer: int(env, 'MAX_SESSIONS_PER_VIEWER', 3, 1, 100),
      maxSessionsPerAddress: int(env, 'MAX_WHEP_SESSIONS_PER_IP', 50, 1, 1_000_000),
      offersPerAddress: { burst: int(env, 'WHEP_OFFER_BURST', 30, 1, 1_000_000), perSecond: int(env, 'WHEP_OFFERS_PER_SECOND', 2, 1, 1_000_000) },
      connectGraceMs: int(env, 'WHEP_CONNECT_GRACE_SECONDS', 10, 1, 60) * 1000,
      disconnectGraceMs: int(env, 'WHEP_DISCONNECT_GRACE_SECONDS', 8, 1, 60) * 1000,
    },
    connections: {
      http: { max: int(env, 'MAX_CONNECTIONS', 10_000, 1, 1_000_000), perAddress: int(env, 'MAX_CONNECTIONS_PER_IP', 200, 1, 1_000_000) },
      sockets: { max: int(env, 'MAX_SOCKETS', 10_000, 1, 1_000_000), perAddress: int(env, 'MAX_SOCKETS_PER_IP', 50, 1, 1_000_000) },
    },
    maxShows: int(env, 'MAX_SHOWS', 8, 1, 1_000),
    hls: bool(env, 'HLS', true),
    renderThread: bool(env, 'RENDER_THREAD', true),
    encoderThreads: int(env, 'ENCODER_THREADS', 1, 0, 64),
    sfu: {
      backend: env.SFU_BACKEND ? oneOf(env, 'SFU_BACKEND', ['mediasoup', 'werift'] as const, 'mediasoup') : undefined,
      workers: int(env, 'SFU_WORKERS', os.availableParallelism(), 1, 64),
      shards: int(env, 'SFU_SHARDS', os.availableParallelism(), 1, 64),
      webRtcPort: int(env, 'WEBRTC_PORT', 40_000, 0, 65_535),
      announcedAddresses: announced.addresses,
      simulcast: bool(env, 'SIMULCAST', true),
    },
    announcedAddressSource: announced.source,
    ice: iceSettings(env),
    demoShow: bool(env, 'DEMO_SHOW', true),
    defaultPersona: slug(env, 'DEFAULT_PERSONA', 'ava'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    llm: llmSettings(env),
    intentPlacement: oneOf(env, 'INTENT_PLACEMENT', ['inline', 'worker'] as const, 'inline'),
    recording: { allShows: bool(env, 'RECORD_SHOWS', false), retentionMs: int(env, 'RECORDING_RETENTION_DAYS', 30, 0, 36_500) * 86_400_000 },
    batch: { ...batchSettings(env), embeddedWorker: bool(env, 'EMBEDDED_WORKER', true) },
    audience: audienceSettings(env),
    cluster: clusterSettings(env),
    dataFeeds: { hosts: feedHosts(env, 'DATA_FEED_HOSTS'), timeoutMs: int(env, 'DATA_FEED_TIMEOUT_MS', 2_000, 100, 30_000), ttlMs: int(env, 'DATA_FEED_TTL_SECONDS', 600, 10, 86_400) * 1000 },
  };
}

/** `host` or `host:port`, comma-separated: the hosts a rundown's data feeds may name (none by default). */
function feedHosts(env: Env, name: string): string[] {
  return commaList(env, name, (entry) => {
    if (!/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(entry)) {
      return `"${entry}" is not a lowercase host name, IP address or host:port`;
    }
  });
}

function clusterSettings(env: Env): ClusterSettings {
  const host = os.hostname().toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+/, '').slice(0, 40) || 'node';
  const nodeId = env.NODE_ID || `${host}-${randomBytes(3).toString('hex')}`;
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(nodeId)) throw new ConfigError('NODE_ID', 'expected 1..64 of [a-z0-9-], starting with a letter or digit');
  const prefix = env.CLUSTER_PREFIX || 'onair:cluster';
  if (!/^[A-Za-z0-9:_-]{1,40}$/.test(prefix)) throw new ConfigError('CLUSTER_PREFIX', 'expected 1..40 of [A-Za-z0-9:_-]');
  const url = env.CLUSTER_URL ? httpUrl(env, 'CLUSTER_URL') : undefined;
  return { nodeId, prefix, secret: secret(env, 'CLUSTER_SECRET', 32), url, maxViewers: int(env, 'MAX_VIEWERS_PER_NODE', 2_000, 1, 1_000_000) };
}

function httpUrl(env: Env, name: string): string {
  const raw = env[name]!;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `"${raw.slice(0, 80)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(name, 'expected an http:// or https:// URL');
  return url.origin;
}

function audienceSettings(env: Env): Config['audience'] {
  const prefix = env.AUDIENCE_PREFIX || 'onair';
  if (!/^[A-Za-z0-9:_-]{1,40}$/.test(prefix)) throw new ConfigError('AUDIENCE_PREFIX', 'expected 1..40 of [A-Za-z0-9:_-]');
  const defaultOverlay = env.DEFAULT_OVERLAY || undefined;
  if (defaultOverlay !== undefined && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(defaultOverlay)) throw new ConfigError('DEFAULT_OVERLAY', 'expected an overlay template id');
  let experiment: ExperimentConfig;
  try {
    experiment = parseExperimentConfig({
      salt: env.EXPERIMENT_SALT || 'onair-ranker',
      holdoutPercent: int(env, 'HOLDOUT_PERCENT', 10, 0, 50),
      control: { modelVersion: env.RANKER_CONTROL || 'ranker-v1' },
      treatment: { modelVersion: env.RANKER_TREATMENT || 'ranker-v2' },
      guardrail: { metric: 'ctr', maxRelativeDrop: int(env, 'GUARDRAIL_MAX_DROP_PERCENT', 20, 1, 100) / 100, minImpressionsPerArm: int(env, 'GUARDRAIL_MIN_IMPRESSIONS', 200, 1, 1_000_000) },
    });
  } catch (error) {
    throw new ConfigError('EXPERIMENT', (error as Error).message);
  }
  return {
    prefix,
    experiment,
    plannedShowMs: int(env, 'PLANNED_SHOW_MINUTES', 60, 1, 24 * 60) * 60_000,
    sessionTtlMs: int(env, 'SESSION_TTL_MINUTES', 30, 1, 24 * 60) * 60_000,
    profileRetentionMs: int(env, 'PROFILE_RETENTION_DAYS', 30, 1, 3_650) * 86_400_000,
    defaultOverlay,
    exploreEpsilon: int(env, 'EXPLORE_PERCENT', 5, 0, 100) / 100,
    decisionBudgetMs: int(env, 'DECISION_BUDGET_MS', 5, 2, 1_000),
    overlayDir: env.OVERLAY_DIR || undefined,
    auditRetentionMs: int(env, 'AUDIT_RETENTION_DAYS', 30, 1, 3_650) * 86_400_000,
    conversions: { secrets: campaignSecrets(env, 'CONVERSION_SECRETS'), replayWindowMs: int(env, 'CONVERSION_REPLAY_WINDOW_SECONDS', 300, 10, 3_600) * 1000 },
  };
}

/** `campaign=secret,campaign=secret`: campaign ids are CTA template ids; each secret as strong as a token. */
function campaignSecrets(env: Env, name: string): Record<string, string> {
  const raw = env[name];
  const secrets: Record<string, string> = {};
  if (raw === undefined || raw === '') return secrets;
  for (const pair of raw.split(',')) {
    const at = pair.indexOf('=');
    const campaign = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (at < 0 || !/^[a-z0-9][a-z0-9-]{0,39}$/.test(campaign)) throw new ConfigError(name, 'expected campaign=secret pairs, campaign a CTA template id');
    if (!/^[A-Za-z0-9._~+/-]{22,256}$/.test(value)) throw new ConfigError(name, `${campaign}: expected 22..256 characters of [A-Za-z0-9._~+/-]`);
    const weakness = secretWeakness(value);
    if (weakness) throw new ConfigError(name, `${campaign}: ${weakness}`);
    if (secrets[campaign] !== undefined) throw new ConfigError(name, `${campaign} is given twice`);
    secrets[campaign] = value;
  }
  return secrets;
}

function llmSettings(env: Env): LlmConfig | undefined {
  try {
    return llmConfigFromEnv(env);
  } catch (error) {
    const { variable = 'LLM_URL', message } = error as { variable?: string; message: string };
    throw new ConfigError(variable, message.replace(`${variable}: `, ''));
  }
}

/** The settings the server shares with `npm run worker` processes, read by the same code. */
function batchSettings(env: Env): Omit<Config['batch'], 'embeddedWorker'> {
  try {
    const worker = workerOptionsFromEnv(env);
    return { queuePrefix: worker.prefix, workerConcurrency: worker.concurrency, store: worker.store };
  } catch (error) {
    const [variable, ...message] = (error as Error).message.split(': ');
    throw new ConfigError(variable!, message.join(': '));
  }
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `expected ${min}..${max}, got ${value}`);
  return value;
}

function oneOf<T extends string, R = T>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  map: (v: T) => R = (v) => v as unknown as R,
): R {
  const raw = (env[name] ?? '') || fallback;
  if (!allowed.includes(raw as T)) throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${raw}"`);
  return map(raw as T);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

function token(env: Env, name: string): { value: string; generated: boolean } {
  const raw = env[name];
  if (raw === undefined || raw === '') return { value: randomBytes(24).toString('base64url'), generated: true };
  return { value: secret(env, name, 22)!, generated: false };
}

/**
 * A configured secret (bearer token, HMAC key): 256 characters at most of [A-Za-z0-9._~+/=-],
 * at least `minLength`, about 128 bits by its character classes, and no placeholder or pattern.
 */
function secret(env: Env, name: string, minLength: number): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(raw) || raw.length < minLength || raw.length > 256) {
    throw new ConfigError(name, `expected ${minLength}..256 characters of [A-Za-z0-9._~+/=-]`);
  }
  const weakness = secretWeakness(raw);
  if (weakness) throw new ConfigError(name, weakness);
  return raw;
}

function redisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL;
  // In production, never whatever answers on 127.0.0.1:6379 (or an embedded server that loses all on restart).
  if ((raw === undefined || raw === '') && env.NODE_ENV === 'production') throw new ConfigError('REDIS_URL', 'required with NODE_ENV=production: set it to your Redis, with its password (redis://:PASSWORD@host:6379)');
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error();
  } catch {
    throw new ConfigError('REDIS_URL', `expected redis://host:port, got "${redactUrl(raw)}"`);
  }
  return raw;
}

function slug(env: Env, name: string, fallback: string): string {
  const raw = (env[name] ?? '') || fallback;
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(raw)) throw new ConfigError(name, `expected a persona id, got "${raw}"`);
  return raw;
}

function addresses(env: Env, name: string, fallback: string[]): string[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const list = raw.split(',').map((a) => a.trim());
  for (const address of list) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) throw new ConfigError(name, `"${address}" is not an IPv4 address`);
  }
  return list;
}

/**
 * ICE_ANNOUNCED_ADDRESSES when set. Otherwise loopback, unless the server listens on every
 * interface (HOST=0.0.0.0 or ::): then the machine's first non-loopback IPv4 address, so a
 * LAN or a public host works without the setting (loopback again, with a warning in the
 * startup banner, when the machine has none).
 */
function announcedAddresses(env: Env, host: string, interfaces: () => NetworkInterfaces): { addresses: string[]; source: Config['announcedAddressSource'] } {
  const set = addresses(env, 'ICE_ANNOUNCED_ADDRESSES', []);
  if (set.length) return { addresses: set, source: 'set' };
  if (host !== '0.0.0.0' && host !== '::') return { addresses: ['127.0.0.1'], source: 'default' };
  const detected = detectAnnouncedAddress(interfaces());
  return detected ? { addresses: [detected], source: 'detected' } : { addresses: ['127.0.0.1'], source: 'undetected' };
}

const STUN_URL = /^stuns?:(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const TURN_URL = /^turns?:(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\?transport=(?:udp|tcp))?$/;

/**
 * STUN_URLS and TURN_URLS (RFC 7064/7065 URIs, comma-separated), TURN_SECRET (the TURN
 * server's `static-auth-secret`, required with TURN_URLS and useless without them) and
 * TURN_CREDENTIAL_TTL_S.
 */
function iceSettings(env: Env): IceSettings {
  const stunUrls = urlList(env, 'STUN_URLS', STUN_URL, 'stun:host[:port]');
  const turnUrls = urlList(env, 'TURN_URLS', TURN_URL, 'turn:host[:port][?transport=udp|tcp] or turns:…');
  const turnSecret = secret(env, 'TURN_SECRET', 22);
  if (turnUrls.length && !turnSecret) throw new ConfigError('TURN_SECRET', 'required with TURN_URLS: the TURN server\'s static-auth-secret');
  if (turnSecret && !turnUrls.length) throw new ConfigError('TURN_URLS', 'TURN_SECRET is set but no TURN server is named');
  // One day by default: longer than any show, so a relayed viewer never needs a new credential mid-show (docs/deploy.md).
  return { stunUrls, turnUrls, turnSecret, credentialTtlS: int(env, 'TURN_CREDENTIAL_TTL_S', 86_400, 60, 7 * 86_400) };
}

function urlList(env: Env, name: string, pattern: RegExp, expected: string): string[] {
  return commaList(env, name, (url) => {
    const port = /:(\d+)(?:\?|$)/.exec(url)?.[1];
    if (!pattern.test(url) || (port !== undefined && (Number(port) < 1 || Number(port) > 65_535))) return `"${url}" is not a ${expected} URL`;
  });
}

/** A comma-separated list of IPv4/IPv6 addresses or CIDRs (`10.0.0.0/8, fd00::/8`). */
function cidrs(env: Env, name: string): string[] {
  return commaList(env, name, (cidr) => {
    try {
      parseCidr(cidr);
    } catch (error) {
      return (error as Error).message;
    }
  });
}

/** A comma-separated list of web origins (`https://example.com`, no path), or `*` for any. */
function origins(env: Env, name: string): string[] {
  return commaList(env, name, (origin) => {
    if (origin === '*') return;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      return `"${origin}" is not an origin like https://example.com (scheme, host and port only; or *)`;
    }
  });
}

/** A comma-separated setting, items trimmed and empty ones dropped; `problem` says what is wrong with an item, if anything. */
function commaList(env: Env, name: string, problem: (item: string) => string | undefined): string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of list) {
    const message = problem(item);
    if (message !== undefined) throw new ConfigError(name, message);
  }
  return list;
}
