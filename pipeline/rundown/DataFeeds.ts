import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { settleWithin } from '../../lib/settleWithin.js';
import type { DataFeedSpec } from './Rundown.js';

export interface DataFeedsOptions {
  redis: Redis;
  /** Key prefix of the cached values: `<prefix>:feed:<hash of the url>`. */
  prefix: string;
  /** DATA_FEED_HOSTS: `host` (any port) or `host:port`; nothing else is ever polled. */
  allowedHosts: readonly string[];
  /** One poll (connect, answer, body) past this is abandoned; the cached value stays. */
  timeoutMs: number;
  /** How long a value stays cached (Redis TTL) after its last successful poll. */
  ttlMs: number;
  /** A feed's answer past this many bytes is refused. */
  maxBytes?: number;
  fetch?: typeof fetch;
}

export interface FeedStatus {
  url: string;
  /** When its cached value was fetched (epoch ms), if there is one. */
  fetchedAt?: number;
  failures: number;
  lastError?: string;
}

export type DataFeedsEvents = {
  /** A poll brought a value that differs from the one before. */
  changed: [url: string];
  failed: [url: string, error: Error];
};

/** Reading the shared cache never holds a line longer than this; memory answers after it. */
const READ_BUDGET_MS = 250;
const DEFAULT_MAX_BYTES = 64 * 1024;

interface Cached {
  value: unknown;
  json: string;
  fetchedAt: number;
}

interface Poller {
  spec: DataFeedSpec;
  owners: Set<string>;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  failures: number;
  lastError?: string;
}

/**
 * The JSON feeds rundowns' data slots read. While a show's rundown names a feed, the server
 * polls it (every `refreshMs`, under `timeoutMs`, allow-listed hosts only, no redirects,
 * bounded bodies) and caches the last good value in Redis with a TTL and in memory. A line
 * reads the cache, never the network: a feed that fails or hangs leaves the last value in
 * place and never holds the show up.
 */
export class DataFeeds extends EnhancedEventEmitter<DataFeedsEvents> {
  private readonly pollers = new Map<string, Poller>();
  private readonly values = new Map<string, Cached>();
  private readonly fetchImpl: typeof fetch;
  private closed = false;

  constructor(private readonly options: DataFeedsOptions) {
    super();
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** Whether the server may poll `url`: its host (or host:port) is in DATA_FEED_HOSTS. */
  allowed(url: URL): boolean {
    const host = url.host.toLowerCase();
    const hostname = url.hostname.toLowerCase();
    return this.options.allowedHosts.some((entry) => entry === host || entry === hostname);
  }

  /** Polls `specs` for `owner` (a show) from now on, in place of what it watched before. */
  watch(owner: string, specs: readonly DataFeedSpec[]): void {
    if (this.closed) return;
    this.unwatch(owner);
    for (const spec of specs) {
      let poller = this.pollers.get(spec.url);
      if (!poller) {
        poller = { spec, owners: new Set(), failures: 0 };
        this.pollers.set(spec.url, poller);
        this.schedule(poller, 0);
      } else if (spec.refreshMs < poller.spec.refreshMs) poller.spec = spec;
      poller.owners.add(owner);
    }
  }

  unwatch(owner: string): void {
    for (const [url, poller] of this.pollers) {
      if (!poller.owners.delete(owner) || poller.owners.size > 0) continue;
      clearTimeout(poller.timer);
      this.pollers.delete(url);
    }
  }

  /**
   * The cached value of a feed: memory, else Redis (within READ_BUDGET_MS), else undefined.
   * Never fetches, so it is as fast when the feed is down as when it is up.
   */
  async read(url: string): Promise<unknown> {
    const now = Date.now();
    const memory = this.values.get(url);
    if (memory && now - memory.fetchedAt < this.options.ttlMs) return memory.value;
    const stored = await settleWithin(this.options.redis.get(this.key(url)), READ_BUDGET_MS).catch(
      () => undefined,
    );
    const json = stored?.value;
    if (typeof json === 'string') {
      try {
        const { fetchedAt, value } = JSON.parse(json) as { fetchedAt: number; value: unknown };
        this.values.set(url, { value, json: JSON.stringify(value), fetchedAt });
        return value;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  /** Polls a feed once now; true when it answered with JSON. Concurrent calls share one poll. */
  refresh(url: string): Promise<boolean> {
    const poller = this.pollers.get(url);
    if (poller?.running) return poller.running.then(() => poller.lastError === undefined);
    const run = this.poll(url).then(
      () => {
        if (poller) {
          poller.failures = 0;
          delete poller.lastError;
        }
        return true;
      },
      (error: Error) => {
        if (poller) {
          poller.failures++;
          poller.lastError = error.message;
        }
        this.safeEmit('failed', url, error);
        return false;
      },
    );
    if (poller) poller.running = run.then(() => undefined).finally(() => delete poller.running);
    return run;
  }

  status(url: string): FeedStatus {
    const poller = this.pollers.get(url);
    const cached = this.values.get(url);
    return {
      url,
      ...(cached && { fetchedAt: cached.fetchedAt }),
      failures: poller?.failures ?? 0,
      ...(poller?.lastError !== undefined && { lastError: poller.lastError }),
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const poller of this.pollers.values()) clearTimeout(poller.timer);
    this.pollers.clear();
    this.removeAllListeners();
  }

  private schedule(poller: Poller, delayMs: number): void {
    poller.timer = setTimeout(() => {
      void this.refresh(poller.spec.url).finally(() => {
        if (!this.closed && this.pollers.get(poller.spec.url) === poller)
          this.schedule(poller, poller.spec.refreshMs);
      });
    }, delayMs);
    poller.timer.unref();
  }

  private async poll(url: string): Promise<void> {
    // The allow-list is checked again here: a rundown validated before DATA_FEED_HOSTS changed, or restored on another node.
    if (!this.allowed(new URL(url))) throw new Error('the host is not in DATA_FEED_HOSTS');
    const response = await this.fetchImpl(url, {
      signal: AbortSignal.timeout(this.options.timeoutMs),
      redirect: 'error',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`the feed answered ${response.status}`);
    }
    const value = JSON.parse(
      await boundedText(response, this.options.maxBytes ?? DEFAULT_MAX_BYTES),
    ) as unknown;
    const json = JSON.stringify(value);
    const fetchedAt = Date.now();
    const before = this.values.get(url);
    this.values.set(url, { value, json, fetchedAt });
    await this.options.redis
      .set(this.key(url), JSON.stringify({ fetchedAt, value }), 'PX', this.options.ttlMs)
      .catch(() => undefined);
    if (before?.json !== json) this.safeEmit('changed', url);
  }

  private key(url: string): string {
    return `${this.options.prefix}:feed:${createHash('sha256').update(url).digest('hex').slice(0, 32)}`;
  }
}

async function boundedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`the feed's answer is larger than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of response.body ?? []) {
    bytes += (chunk as Uint8Array).byteLength;
    if (bytes > maxBytes) throw new Error(`the feed's answer is larger than ${maxBytes} bytes`);
    chunks.push(chunk as Uint8Array);
  }
  return Buffer.concat(chunks).toString('utf8');
}
