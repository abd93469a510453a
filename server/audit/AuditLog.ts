import type { Redis } from 'ioredis';
import { SerialQueue } from '../../lib/SerialQueue.js';
import { settleWithin } from '../../lib/settleWithin.js';
import type { Decision, DecisionContext } from '../decisions/types.js';
import { indexMember, viewerKeys, type ViewerKeys } from '../viewers/viewerKeys.js';
import { defineAuditAppend, queueAuditBatch, type AuditBatchArgs } from './auditAppendScript.js';
import {
  AUDIT_ID,
  checkIds,
  encodeRow,
  OUTCOMES,
  parseEntry,
  type AuditOutcome,
  type AuditRow,
  type PendingAuditRow,
} from './auditRows.js';
import { AuditUnavailableError, InvalidAuditQueryError, InvalidAuditRowError } from './errors.js';

export interface AuditLogOptions {
  /** The viewer key prefix (viewerKeys). */
  prefix: string;
  /** Approximate cap of a show's stream. */
  maxLen?: number;
  /**
   * Rows are trimmed this long after they were written, and a show's stream expires this long
   * after its last row (an ended show's too); viewer lists of ids outlive the rows they name.
   */
  retentionMs?: number;
  flushEveryMs?: number;
  /** Rows kept while Redis is away; later rows are dropped and counted. */
  maxBuffered?: number;
}

export const MAX_QUERY_LIMIT = 500;
const ENTRY_ID = /^\d{1,20}-\d{1,20}$/;
const ROWS_PER_FLUSH = 5_000;
/** Bounds how long one script call holds Redis (about 3 µs a row). */
const ROWS_PER_SCRIPT = 500;

type XEntry = [id: string, fields: string[]];

/**
 * Every decision and outcome as a row in the show's Redis stream, findable per viewer.
 * Appends are synchronous and buffered; a timer writes them in one pipeline per flush.
 */
export class AuditLog {
  readonly stats = { written: 0, flushes: 0, flushFailures: 0, dropped: 0 };
  private readonly keys: ViewerKeys;
  private readonly options: Required<AuditLogOptions>;
  private buffer: PendingAuditRow[] = [];
  private readonly flushes = new SerialQueue();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    options: AuditLogOptions,
  ) {
    this.options = {
      maxLen: 100_000,
      retentionMs: 30 * 24 * 3_600_000,
      flushEveryMs: 100,
      maxBuffered: 50_000,
      ...options,
    };
    this.keys = viewerKeys(options.prefix);
    defineAuditAppend(redis);
    this.timer = setInterval(() => {
      if (!this.flushes.busy && this.buffer.length > 0) void this.flush();
    }, this.options.flushEveryMs).unref();
  }

  /** Never blocks: the row is written on the next flush. `context`: what the ranker saw, for training; `node`: the node that decided. */
  append(decision: Decision, extra: { context?: DecisionContext; node?: string } = {}): void {
    checkIds(decision.showId, decision.viewerId, decision.id);
    this.enqueue({ ...decision, ...(extra.context && { context: extra.context }), ...(extra.node && { node: extra.node }), kind: 'decision' });
  }

  recordOutcome(
    showId: string,
    viewerId: string,
    decisionId: string,
    outcome: AuditOutcome,
    atMs = Date.now(),
  ): void {
    checkIds(showId, viewerId, decisionId);
    if (!OUTCOMES.includes(outcome))
      throw new InvalidAuditRowError(`unknown outcome ${JSON.stringify(outcome)}`);
    this.enqueue({ kind: 'outcome', showId, viewerId, decisionId, outcome, atMs });
  }

  get bufferedCount(): number {
    return this.buffer.length;
  }

  /** Writes what is buffered; rows stay buffered when Redis is away. */
  flush(): Promise<void> {
    return this.flushes.run(() => this.flushOnce());
  }

  /** Newest first; `before` (an entry id, exclusive) pages back. */
  async byShow(
    showId: string,
    query: { limit?: number; before?: string } = {},
  ): Promise<AuditRow[]> {
    const limit = checkLimit(query.limit);
    checkShowId(showId);
    if (query.before !== undefined && !ENTRY_ID.test(query.before))
      throw new InvalidAuditQueryError(`bad entry id ${JSON.stringify(query.before)}`);
    const start = query.before === undefined ? '+' : `(${query.before}`;
    const entries = await this.query(() =>
      this.redis.xrevrange(this.keys.auditStream(showId), start, '-', 'COUNT', limit),
    );
    return parseEntries(entries as XEntry[]);
  }

  /** The viewer's last `limit` rows in this show, newest first; rows trimmed from the stream are skipped. */
  async byViewer(
    showId: string,
    viewerId: string,
    query: { limit?: number } = {},
  ): Promise<AuditRow[]> {
    const limit = checkLimit(query.limit);
    checkShowId(showId);
    if (typeof viewerId !== 'string' || !AUDIT_ID.test(viewerId))
      throw new InvalidAuditQueryError(`bad viewer id ${JSON.stringify(viewerId)}`);
    const ids = await this.query(() =>
      this.redis.lrange(this.keys.auditOfViewer(showId, viewerId), -limit, -1),
    );
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids.reverse()) pipeline.xrange(this.keys.auditStream(showId), id, id);
    const results = (await this.query(() => pipeline.exec())) ?? [];
    return results.flatMap(([error, entries]) => (error ? [] : parseEntries(entries as XEntry[])));
  }

  /** Every row of the show, oldest first, in pages of 500 (for `npm run train:ranker`). */
  async *exportShow(showId: string): AsyncIterable<AuditRow> {
    checkShowId(showId);
    let start = '-';
    for (;;) {
      const page = (await this.query(() =>
        this.redis.xrange(this.keys.auditStream(showId), start, '+', 'COUNT', MAX_QUERY_LIMIT),
      )) as XEntry[];
      yield* parseEntries(page);
      if (page.length < MAX_QUERY_LIMIT) return;
      start = `(${page[page.length - 1]![0]}`;
    }
  }

  async close(budgetMs = 2_000): Promise<void> {
    clearInterval(this.timer);
    await settleWithin(this.flush(), budgetMs);
  }

  private enqueue(row: PendingAuditRow): void {
    if (this.buffer.length >= this.options.maxBuffered) {
      this.stats.dropped += 1;
      return;
    }
    this.buffer.push(row);
  }

  private async flushOnce(): Promise<void> {
    if (this.buffer.length === 0) return;
    const rows = this.buffer.splice(0, ROWS_PER_FLUSH);
    const chunks = chunksByShow(rows);
    const pipeline = this.redis.pipeline();
    for (const chunk of chunks) queueAuditBatch(pipeline, this.batchArgs(chunk));
    const minId = `${Date.now() - this.options.retentionMs}`;
    for (const showId of new Set(rows.map((r) => r.showId)))
      pipeline.xtrim(this.keys.auditStream(showId), 'MINID', minId); // exact: no row outlives its viewer's list
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch {
      results = null;
    }
    const failed = chunks.filter((_, i) => !results || results[i]![0]).flat();
    if (failed.length === rows.length) return this.requeue(failed);
    this.stats.flushes += 1;
    this.stats.written += rows.length - failed.length;
    this.stats.dropped += failed.length; // Redis answered but refused these rows: retrying cannot help
  }

  private requeue(rows: PendingAuditRow[]): void {
    this.stats.flushFailures += 1;
    this.buffer = [...rows, ...this.buffer];
    const overflow = this.buffer.length - this.options.maxBuffered;
    if (overflow > 0) {
      this.buffer.length = this.options.maxBuffered; // keep the oldest, in order
      this.stats.dropped += overflow;
    }
  }

  /** One show's rows (in order) with a slot per viewer. */
  private batchArgs(rows: PendingAuditRow[]): AuditBatchArgs {
    const streamKey = this.keys.auditStream(rows[0]!.showId);
    const slots = new Map<string, number>();
    const viewers: AuditBatchArgs['viewers'] = [];
    const batchRows = rows.map((row) => {
      let slot = slots.get(row.viewerId);
      if (slot === undefined) {
        const listKey = this.keys.auditOfViewer(row.showId, row.viewerId);
        viewers.push({
          listKey,
          indexKey: this.keys.index(row.viewerId),
          indexMember: indexMember.xdel(streamKey, listKey),
        });
        slots.set(row.viewerId, (slot = viewers.length));
      }
      return { viewerSlot: slot, ...encodeRow(row) };
    });
    const { maxLen, retentionMs } = this.options;
    return { streamKey, viewers, rows: batchRows, maxLen, retentionMs };
  }

  private async query<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new AuditUnavailableError(error);
    }
  }
}

/** Rows grouped by show, in order, at most ROWS_PER_SCRIPT a group (one script call each). */
function chunksByShow(rows: PendingAuditRow[]): PendingAuditRow[][] {
  const byShow = new Map<string, PendingAuditRow[][]>();
  for (const row of rows) {
    const chunks = byShow.get(row.showId) ?? [];
    if (chunks.length === 0 || chunks.at(-1)!.length >= ROWS_PER_SCRIPT) chunks.push([]);
    chunks.at(-1)!.push(row);
    byShow.set(row.showId, chunks);
  }
  return [...byShow.values()].flat();
}

function parseEntries(entries: XEntry[]): AuditRow[] {
  return entries.flatMap(([id, fields]) => parseEntry(id, fields) ?? []);
}

function checkLimit(limit: number | undefined): number {
  const value = limit ?? 100;
  if (!Number.isInteger(value) || value < 1 || value > MAX_QUERY_LIMIT)
    throw new InvalidAuditQueryError(`limit must be an integer in [1, ${MAX_QUERY_LIMIT}]`);
  return value;
}

function checkShowId(showId: string): void {
  if (typeof showId !== 'string' || !AUDIT_ID.test(showId))
    throw new InvalidAuditQueryError(`bad show id ${JSON.stringify(showId)}`);
}
