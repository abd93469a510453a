import type { ChainableCommander, Redis } from 'ioredis';
import { INDEX_ADD_LUA } from '../viewers/lua/indexLua.js';

/** The viewer index outlives the lists it names (the session store's rule). */
const INDEX_MARGIN_MS = 60_000;
/**
 * A viewer's list of ids outlives every row it names: rows are trimmed (exact MINID) at
 * `retention` after they were written, or go with the stream `retention` after the show's
 * last row; the list expires `retention` + this after the viewer's last row.
 */
export const LIST_MARGIN_MS = 3_600_000;

/**
 * A batch of one show's rows in one atomic call, so a row never exists without the index
 * entry that lets the viewer data eraser find it: XADD each row to the show's stream
 * (approximate MAXLEN) and give the stream a TTL of `retention` (an ended show's stream
 * expires that long after its last row), then per viewer RPUSH the new ids to its list
 * (never trimmed: the eraser must find every row still in the stream; a TTL that outlives the
 * rows) and add the list to the viewer's index.
 * KEYS: stream, then a list key and an index key per viewer.
 * ARGV: maxLen, (unused), retentionMs, viewer count, an index member per viewer, then a
 * (viewer slot, kind, body) triple per row. Replies with the number of rows written.
 */
const SCRIPT = `${INDEX_ADD_LUA}
local maxLen, retention, viewers = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
local ids = {}
for v = 1, viewers do ids[v] = {} end
local rows = 0
for i = 5 + viewers, #ARGV, 3 do
  local slot = tonumber(ARGV[i])
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxLen, '*', 'k', ARGV[i + 1], 'r', ARGV[i + 2])
  table.insert(ids[slot], id)
  rows = rows + 1
end
for v = 1, viewers do
  local list = KEYS[2 * v]
  for first = 1, #ids[v], 1000 do
    redis.call('RPUSH', list, unpack(ids[v], first, math.min(first + 999, #ids[v])))
  end
  redis.call('PEXPIRE', list, retention + ${LIST_MARGIN_MS})
  index_add(KEYS[2 * v + 1], ARGV[4 + v], retention + ${LIST_MARGIN_MS} + ${INDEX_MARGIN_MS})
end
redis.call('PEXPIRE', KEYS[1], retention)
return rows`;

const COMMAND = 'onairAuditAppendBatch';

export interface AuditBatchRow {
  viewerSlot: number;
  kind: string;
  body: string;
}

export interface AuditBatchArgs {
  streamKey: string;
  /** One per viewer: its list key, index key and index member. */
  viewers: { listKey: string; indexKey: string; indexMember: string }[];
  rows: AuditBatchRow[];
  maxLen: number;
  retentionMs: number;
}

type WithBatch = { [COMMAND]: (numberOfKeys: number, ...args: (string | number)[]) => unknown };

/** Registers the script on the client (ioredis sends EVALSHA and falls back to EVAL). */
export function defineAuditAppend(redis: Redis): void {
  if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { lua: SCRIPT });
}

export function queueAuditBatch(pipeline: ChainableCommander, a: AuditBatchArgs): void {
  const keys = [a.streamKey, ...a.viewers.flatMap((v) => [v.listKey, v.indexKey])];
  const args: (string | number)[] = [
    a.maxLen,
    0,
    a.retentionMs,
    a.viewers.length,
    ...a.viewers.map((v) => v.indexMember),
  ];
  for (const row of a.rows) args.push(row.viewerSlot, row.kind, row.body);
  (pipeline as unknown as WithBatch)[COMMAND](keys.length, ...keys, ...args);
}
