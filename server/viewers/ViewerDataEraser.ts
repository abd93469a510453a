import type { Redis } from 'ioredis';
import { checkId } from './ids.js';
import { ERASE_LUA } from './lua/eraseLua.js';
import { defineScript, storeCall, type ScriptCall } from './redisCall.js';
import { viewerKeys, type ViewerKeys } from './viewerKeys.js';

export interface ErasedViewerData {
  /** The viewer's own keys deleted (sessions, profile, lists of audit ids); not counting the index. */
  keysDeleted: number;
  /** Shared sets the viewer's id was removed from (e.g. poll voters). */
  membershipsRemoved: number;
  /** Entries deleted from shared streams (e.g. the audit stream). */
  streamEntriesDeleted: number;
  /** Index members that were malformed or named a key of the wrong type: not erased. */
  membersSkipped: number;
}

const SCRIPT_NAME = 'onairViewerErase';
/** Erasing is rare and may walk many members: a longer bound than the per-event calls. */
const DEFAULT_ERASE_TIMEOUT_MS = 5_000;

/**
 * Deletes everything stored about a viewer in one call: one script that walks the viewer's
 * index set (viewerKeys.ts). Assumes one Redis, not a cluster (the keys live in many slots).
 */
export class ViewerDataEraser {
  private readonly keys: ViewerKeys;
  private readonly timeoutMs: number;
  private readonly script: ScriptCall;

  constructor(
    private readonly redis: Redis,
    options: { prefix: string; timeoutMs?: number },
  ) {
    this.keys = viewerKeys(options.prefix);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_ERASE_TIMEOUT_MS;
    this.script = defineScript(redis, SCRIPT_NAME, ERASE_LUA, 1);
  }

  async erase(viewerId: string): Promise<ErasedViewerData> {
    const index = this.keys.index(checkId(viewerId, 'viewerId'));
    const reply = (await storeCall(this.redis, this.timeoutMs, () => this.script([index], [viewerId]))) as number[];
    const [keysDeleted = 0, membershipsRemoved = 0, streamEntriesDeleted = 0, membersSkipped = 0] = reply;
    return { keysDeleted, membershipsRemoved, streamEntriesDeleted, membersSkipped };
  }
}
