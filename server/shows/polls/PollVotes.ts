import type { Redis } from 'ioredis';
import { INDEX_ADD_LUA } from '../../viewers/lua/indexLua.js';
import { indexMember, type ViewerKeys } from '../../viewers/viewerKeys.js';

// KEYS: voters set, tally hash, the viewer's data index. ARGV: viewer id, option, ttl ms, index member.
const VOTE = `${INDEX_ADD_LUA}
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
index_add(KEYS[3], ARGV[4], tonumber(ARGV[3]))
return 1`;

/** How long a poll's voters and tallies are kept after its last vote. */
const KEEP_MS = 24 * 60 * 60 * 1000;

type VoteRedis = Redis & { onairPollVote(voters: string, tally: string, index: string, viewerId: string, option: string, ttlMs: number, member: string): Promise<number> };

/** One vote per viewer per poll, checked and counted in one atomic script. */
export class PollVotes {
  private readonly redis: VoteRedis;

  constructor(redis: Redis, private readonly keys: ViewerKeys) {
    redis.defineCommand('onairPollVote', { numberOfKeys: 3, lua: VOTE });
    this.redis = redis as VoteRedis;
  }

  /** True when counted; false when this viewer had already voted in this poll. */
  async cast(pollId: string, viewerId: string, option: number): Promise<boolean> {
    const voters = this.keys.pollVoters(pollId);
    const counted = await this.redis.onairPollVote(voters, this.keys.pollTally(pollId), this.keys.index(viewerId), viewerId, String(option), KEEP_MS, indexMember.srem(voters));
    return counted === 1;
  }

  async tallies(pollId: string, options: number): Promise<number[]> {
    const hash = await this.redis.hgetall(this.keys.pollTally(pollId));
    return Array.from({ length: options }, (_, i) => Number(hash[String(i)] ?? 0));
  }
}
