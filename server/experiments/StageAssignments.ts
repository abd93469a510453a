import type { Redis } from 'ioredis';
import { ARMS, type Arm } from '../decisions/types.js';
import { INDEX_ADD_LUA } from '../viewers/lua/indexLua.js';
import { defineScript, storeCall, type ScriptCall } from '../viewers/redisCall.js';
import { indexMember, viewerKeys } from '../viewers/viewerKeys.js';

// KEYS: the stage's viewers, its counts per arm, the viewer's data index. ARGV: viewer id, arm, cap, ttl ms, index member.
const RECORD = `${INDEX_ADD_LUA}
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
index_add(KEYS[3], ARGV[5], tonumber(ARGV[4]))
return 1`;

const KEEP_MS = 7 * 86_400_000;
const TIMEOUT_MS = 500;

/**
 * Viewers assigned per arm in one stage of a show's rollout, counted once each in Redis
 * whichever node assigned them, for the guardrail's sample-ratio check. A stage is named by
 * its start time (a resume starts the count again), which every node reads from the rollout.
 */
export class StageAssignments {
  private readonly record_: ScriptCall;
  private readonly viewerIndex: (viewerId: string) => string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly cap: number,
  ) {
    this.record_ = defineScript(redis, 'onairStageAssigned', RECORD, 3);
    this.viewerIndex = viewerKeys(prefix).index;
  }

  private keys(showId: string, stage: number) {
    const base = `${this.prefix}:rollout:${showId}:stage:${stage}`;
    return { viewers: `${base}:viewers`, counts: `${base}:counts` };
  }

  /** Fire and forget: a failed count only weakens the check (the guardrail falls back to this node's counts). */
  record(showId: string, stage: number, viewerId: string, arm: Arm): Promise<void> {
    const { viewers, counts } = this.keys(showId, stage);
    return storeCall(this.redis, TIMEOUT_MS, () =>
      this.record_(
        [viewers, counts, this.viewerIndex(viewerId)],
        [viewerId, arm, this.cap, KEEP_MS, indexMember.srem(viewers)],
      ),
    ).then(() => undefined);
  }

  async counts(showId: string, stage: number): Promise<Record<Arm, number>> {
    const hash = await storeCall(this.redis, TIMEOUT_MS, () =>
      this.redis.hgetall(this.keys(showId, stage).counts),
    );
    return Object.fromEntries(ARMS.map((arm) => [arm, Number(hash[arm] ?? 0)])) as Record<
      Arm,
      number
    >;
  }
}
