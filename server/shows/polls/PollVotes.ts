import type { Redis } from 'ioredis';
import { INDEX_ADD_LUA } from '../../viewers/lua/indexLua.js';
import { indexMember, type ViewerKeys } from '../../viewers/viewerKeys.js';

// KEYS: voters set, tally hash, the viewer's data index, the poll's closed mark. ARGV: viewer id, option, ttl ms, index member.
// Answers -1 once the poll is closed, 0 for a second vote, else the tallies after this vote.
const VOTE = `${INDEX_ADD_LUA}
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
index_add(KEYS[3], ARGV[4], tonumber(ARGV[3]))
return redis.call('HGETALL', KEYS[2])`;

/** How long a poll's voters and tallies are kept after its last vote. */
const KEEP_MS = 24 * 60 * 60 * 1000;

type VoteRedis = Redis & { onairPollVote(voters: string, tally: string, index: string, closed: string, viewerId: string, option: string, ttlMs: number, member: string): Promise<number | string[]> };

/** A vote as Redis counted it: refused, or counted with the poll's tallies after it. */
export type CastVote = { counted: false; closed: boolean } | { counted: true; tallies: Record<string, number> };

/** One vote per viewer per poll, checked and counted in one atomic script. */
export class PollVotes {
  private readonly redis: VoteRedis;

  constructor(redis: Redis, private readonly keys: ViewerKeys) {
    redis.defineCommand('onairPollVote', { numberOfKeys: 4, lua: VOTE });
    this.redis = redis as VoteRedis;
  }

  /**
   * Counts a viewer's vote once, whichever node the viewer is on; refused once the poll is
   * closed in Redis (`close`), so a vote racing the close is either in the result or refused.
   */
  async cast(pollId: string, viewerId: string, option: number): Promise<CastVote> {
    const voters = this.keys.pollVoters(pollId);
    const tally = this.keys.pollTally(pollId);
    const reply = await this.redis.onairPollVote(voters, tally, this.keys.index(viewerId), `${tally}:closed`, viewerId, String(option), KEEP_MS, indexMember.srem(voters));
    if (!Array.isArray(reply)) return { counted: false, closed: reply === -1 };
    const tallies: Record<string, number> = {};
    for (let i = 0; i + 1 < reply.length; i += 2) tallies[reply[i]!] = Number(reply[i + 1]);
    return { counted: true, tallies };
  }

  /** No vote counts after this (on any node). */
  async close(pollId: string): Promise<void> {
    await this.redis.set(`${this.keys.pollTally(pollId)}:closed`, '1', 'PX', KEEP_MS);
  }

  async tallies(pollId: string, options: number): Promise<number[]> {
    const hash = await this.redis.hgetall(this.keys.pollTally(pollId));
    return Array.from({ length: options }, (_, i) => Number(hash[String(i)] ?? 0));
  }
}
