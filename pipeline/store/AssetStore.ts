import type { Redis } from 'ioredis';
import { isAssetKey, type BlobStore } from './BlobStore.js';
import { AssetNameError, AssetNotFoundError } from './errors.js';

export type AssetKind = 'rig' | 'clip' | 'voice';

export interface AssetRecord {
  key: string;
  kind: AssetKind;
  persona: string;
  /** What it is, for people: the phrase, the clip's text, the rig's resolution. */
  label: string;
  /** File name → size in bytes. */
  files: Record<string, number>;
  size: number;
  createdAt: number;
  lastUsedAt: number;
  meta: Record<string, string | number>;
}

export type AssetFile = { name: string; bytes: Uint8Array } | { name: string; tempPath: string };

export interface AssetStoreOptions {
  /** Redis key prefix of the index. */
  prefix?: string;
  /** Least recently used assets are evicted past this many bytes. */
  maxBytes?: number;
}

// Adds the index entry once: a second save of the same key only touches it, so the size
// total counts each asset once even when two workers rendered it.
const ADD_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('INCRBY', KEYS[3], ARGV[4])
return 1`;

const REMOVE_SCRIPT = `
local record = redis.call('GET', KEYS[1])
if not record then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DECRBY', KEYS[3], cjson.decode(record).size)
return 1`;

/**
 * Content-addressed assets: files in a `BlobStore`, an index in Redis with sizes and last
 * use, and LRU eviction under `maxBytes`. Saving is idempotent: the same key twice is one asset.
 */
export class AssetStore {
  private readonly prefix: string;
  readonly maxBytes: number;

  constructor(
    readonly blobs: BlobStore,
    private readonly redis: Redis,
    options: AssetStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'onair:assets';
    this.maxBytes = options.maxBytes ?? 2 * 1024 ** 3;
  }

  async get(key: string): Promise<AssetRecord | undefined> {
    if (!isAssetKey(key)) throw new AssetNameError('key', String(key));
    const raw = await this.redis.get(this.recordKey(key));
    return raw ? (JSON.parse(raw) as AssetRecord) : undefined;
  }

  /** Writes the files (each atomically), then indexes the asset, then evicts past the cap. */
  async save(record: Omit<AssetRecord, 'files' | 'size' | 'createdAt' | 'lastUsedAt'>, files: AssetFile[]): Promise<AssetRecord> {
    const existing = await this.get(record.key);
    if (existing && (await this.filesPresent(existing))) {
      for (const file of files) if ('tempPath' in file) await this.blobs.discard(file.tempPath);
      await this.touch(record.key);
      return existing;
    }
    const sizes: Record<string, number> = {};
    for (const file of files) {
      sizes[file.name] =
        'bytes' in file ? await this.blobs.writeBytes(record.key, file.name, file.bytes) : await this.blobs.commit(record.key, file.name, file.tempPath);
    }
    const now = Date.now();
    const full: AssetRecord = { ...record, files: sizes, size: Object.values(sizes).reduce((a, b) => a + b, 0), createdAt: now, lastUsedAt: now };
    if (existing) await this.dropIndex(record.key);
    await this.redis.eval(ADD_SCRIPT, 3, this.recordKey(record.key), this.lruKey, this.bytesKey, record.key, now, JSON.stringify(full), full.size);
    await this.evict(record.key);
    return full;
  }

  /** Reads one file of an asset and marks the asset used. */
  async read(key: string, name: string): Promise<Buffer> {
    const record = await this.get(key);
    if (!record || !(name in record.files)) throw new AssetNotFoundError(key, name);
    const bytes = await this.blobs.read(key, name);
    await this.touch(key);
    return bytes;
  }

  async list(options: { kind?: AssetKind; limit?: number } = {}): Promise<AssetRecord[]> {
    const keys = await this.redis.zrevrange(this.lruKey, 0, -1);
    const records: AssetRecord[] = [];
    for (const key of keys) {
      const record = await this.get(key);
      if (record && (!options.kind || record.kind === options.kind)) records.push(record);
      if (records.length >= (options.limit ?? 200)) break;
    }
    return records;
  }

  async totalBytes(): Promise<number> {
    return Number((await this.redis.get(this.bytesKey)) ?? 0);
  }

  async remove(key: string): Promise<void> {
    await this.dropIndex(key);
    await this.blobs.remove(key);
  }

  private async evict(keep: string): Promise<void> {
    while ((await this.totalBytes()) > this.maxBytes) {
      const [oldest] = await this.redis.zrange(this.lruKey, '0', '0');
      if (!oldest || oldest === keep) return;
      await this.remove(oldest);
    }
  }

  private async filesPresent(record: AssetRecord): Promise<boolean> {
    for (const name of Object.keys(record.files)) if (!(await this.blobs.exists(record.key, name))) return false;
    return true;
  }

  private async touch(key: string): Promise<void> {
    const record = await this.get(key);
    if (!record) return;
    record.lastUsedAt = Date.now();
    await this.redis.multi().set(this.recordKey(key), JSON.stringify(record)).zadd(this.lruKey, String(record.lastUsedAt), key).exec();
  }

  private async dropIndex(key: string): Promise<void> {
    await this.redis.eval(REMOVE_SCRIPT, 3, this.recordKey(key), this.lruKey, this.bytesKey, key);
  }

  private recordKey(key: string): string {
    return `${this.prefix}:a:${key}`;
  }
  private get lruKey(): string {
    return `${this.prefix}:lru`;
  }
  private get bytesKey(): string {
    return `${this.prefix}:bytes`;
  }
}
