import { stat } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { BlobStore } from '../store/BlobStore.js';
import { recordingBlobKey, SIDECAR_FILE } from './recordingFiles.js';
import type { RecordingSidecar, RecordingState } from './RecordingSidecar.js';

/** A recording in the list: what the index keeps. */
export interface RecordingSummary {
  id: string;
  showId: string;
  title: string;
  /** When recording began (ISO 8601). */
  startedAt: string;
  durationMs: number;
  bytes: number;
  state: RecordingState;
}

interface StoredSummary extends RecordingSummary {
  /** The writer refreshes this with every segment; one that stops while `recording` has vanished. */
  updatedAtMs: number;
}

/** Past this without a new segment, a `recording` entry lost its writer (a process that died). */
const STALE_MS = 60_000;

/**
 * Where recordings live: their files in the asset store's blob store (one folder each, out
 * of the asset index, so its LRU cap never evicts a recording) and a small index in Redis,
 * newest first, that lists them without reading any file.
 */
export class RecordingStore {
  constructor(
    readonly blobs: BlobStore,
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async save(summary: RecordingSummary, nowMs = Date.now()): Promise<void> {
    const stored: StoredSummary = { ...summary, updatedAtMs: nowMs };
    await this.redis.multi().set(this.recordKey(summary.id), JSON.stringify(stored)).zadd(this.listKey, Date.parse(summary.startedAt), summary.id).exec();
  }

  async get(id: string): Promise<RecordingSummary | undefined> {
    const raw = await this.redis.get(this.recordKey(id));
    return raw ? present(JSON.parse(raw) as StoredSummary) : undefined;
  }

  /** Newest first. */
  async list(limit = 500): Promise<RecordingSummary[]> {
    const ids = await this.redis.zrevrange(this.listKey, 0, limit - 1);
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.recordKey(id)));
    return raws.flatMap((raw) => (raw ? [present(JSON.parse(raw) as StoredSummary)] : []));
  }

  /** Ids of recordings started before `epochMs` (retention). */
  startedBefore(epochMs: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.listKey, '-inf', `(${epochMs}`);
  }

  async readSidecar(id: string): Promise<RecordingSidecar | undefined> {
    const key = recordingBlobKey(id);
    if (!(await this.blobs.exists(key, SIDECAR_FILE))) return undefined;
    return JSON.parse((await this.blobs.read(key, SIDECAR_FILE)).toString('utf8')) as RecordingSidecar;
  }

  /** A local path of one of the recording's files and its size, or undefined when it is not there. */
  async file(id: string, name: string): Promise<{ path: string; bytes: number } | undefined> {
    const path = this.blobs.localPath(recordingBlobKey(id), name);
    try {
      return { path, bytes: (await stat(path)).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Files first, then the index: a failure half-way leaves an entry to delete again, never orphaned files. */
  async remove(id: string): Promise<void> {
    await this.blobs.remove(recordingBlobKey(id));
    await this.redis.multi().del(this.recordKey(id)).zrem(this.listKey, id).exec();
  }

  private recordKey(id: string): string {
    return `${this.prefix}:recording:${id}`;
  }

  private get listKey(): string {
    return `${this.prefix}:recordings`;
  }
}

function present({ updatedAtMs, ...summary }: StoredSummary): RecordingSummary {
  const vanished = summary.state === 'recording' && Date.now() - updatedAtMs > STALE_MS;
  return vanished ? { ...summary, state: 'interrupted' } : summary;
}
