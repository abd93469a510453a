import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { CodedError } from '../../../lib/errors/CodedError.js';
import { Poll, type PollRequest, type PollResult, type PollView } from './Poll.js';
import type { PollVotes } from './PollVotes.js';

export type ShowPollsEvents = {
  /** Live tallies, at most every `TALLY_INTERVAL_MS` while votes come in. */
  update: [poll: PollView];
  closed: [poll: PollView, result: PollResult, request: PollRequest];
};

/** The open poll as a takeover restores it. */
export interface OpenPoll {
  id: string;
  request: PollRequest;
  closesAt: number;
}

const TALLY_INTERVAL_MS = 250;
const HISTORY = 20;

/** A show's polls: one open at a time, closed by its timer or by the host. */
export class ShowPolls extends EnhancedEventEmitter<ShowPollsEvents> {
  private readonly polls = new Map<string, Poll>();
  /** The open poll; a follower (another node's show) has no timer: the origin closes it. */
  private current: { poll: Poll; timer?: NodeJS.Timeout } | undefined;
  private tallyTimer: NodeJS.Timeout | undefined;

  constructor(private readonly votes: PollVotes) {
    super();
  }

  get open(): Poll | undefined {
    return this.current?.poll;
  }

  launch(request: PollRequest): PollView {
    if (this.current) throw new CodedError('POLL_ALREADY_OPEN', `poll ${this.current.poll.id} is still open`);
    return this.start(new Poll(request));
  }

  /**
   * The open poll of a show taken over from a dead node: same id, same closing time, and the
   * tallies Redis counted (so every vote counts once, before and after the move).
   */
  async resume(saved: OpenPoll): Promise<PollView> {
    if (this.current) throw new CodedError('POLL_ALREADY_OPEN', `poll ${this.current.poll.id} is still open`);
    const poll = new Poll(saved.request, Date.now(), saved);
    const counted = await this.votes.tallies(poll.id, poll.tallies.length).catch(() => undefined);
    counted?.forEach((n, i) => (poll.tallies[i] = n));
    return this.start(poll);
  }

  /** What a takeover needs of the open poll. */
  openPoll(): OpenPoll | undefined {
    const poll = this.current?.poll;
    return poll && { id: poll.id, request: poll.request, closesAt: poll.closesAt };
  }

  private start(poll: Poll): PollView {
    this.polls.set(poll.id, poll);
    for (const id of [...this.polls.keys()].slice(0, Math.max(0, this.polls.size - HISTORY))) this.polls.delete(id);
    this.current = { poll, timer: setTimeout(() => void this.close(poll.id).catch(() => undefined), Math.max(0, poll.closesAt - Date.now())) };
    this.safeEmit('update', poll.view());
    return poll.view();
  }

  /** Counts a viewer's vote once; a second vote is refused with `ALREADY_VOTED`. */
  async vote(pollId: string, viewerId: string, option: number): Promise<PollView> {
    const poll = this.polls.get(pollId);
    if (!poll) throw new CodedError('POLL_NOT_FOUND', `poll ${pollId} not found`);
    if (!poll.open) throw new CodedError('POLL_CLOSED', `poll ${pollId} is closed`);
    if (!Number.isInteger(option) || option < 0 || option >= poll.tallies.length) throw new CodedError('INVALID_EVENT', `option must be 0-${poll.tallies.length - 1}`);
    const cast = await this.votes.cast(pollId, viewerId, option).catch(() => {
      throw new CodedError('POLL_UNAVAILABLE', 'votes cannot be counted right now; try again');
    });
    if (!cast.counted && cast.closed) throw new CodedError('POLL_CLOSED', `poll ${pollId} is closed`);
    if (!cast.counted) throw new CodedError('ALREADY_VOTED', 'this viewer has already voted in this poll');
    // Redis's tallies: they count every node's votes.
    poll.tallies.forEach((n, i) => (poll.tallies[i] = Math.max(n, cast.tallies[String(i)] ?? 0)));
    this.scheduleTally();
    return poll.view();
  }

  /** Another node counted a vote: the live tallies are read from Redis and sent (at most every 250 ms). */
  counted(pollId: string): void {
    if (this.current?.poll.id === pollId) this.scheduleTally();
  }

  /**
   * On a node that follows another node's show: the poll its origin runs (open, or closed with
   * its result), so votes here are checked against it and counted in Redis like the origin's.
   */
  mirror(saved: (OpenPoll & { tallies: number[]; result?: PollResult }) | undefined): void {
    if (!saved) return void (this.current = undefined);
    let poll = this.polls.get(saved.id);
    if (!poll) {
      poll = new Poll(saved.request, Date.now(), saved);
      this.polls.set(poll.id, poll);
      for (const id of [...this.polls.keys()].slice(0, Math.max(0, this.polls.size - HISTORY))) this.polls.delete(id);
    }
    saved.tallies.forEach((n, i) => i < poll.tallies.length && (poll.tallies[i] = Math.max(n, poll.tallies[i]!)));
    if (saved.result && poll.open) poll.close();
    this.current = poll.open ? { poll } : undefined;
  }

  /** Closes the open poll with the tallies as Redis counted them (memory if Redis is away). */
  async close(pollId: string): Promise<PollView> {
    const poll = this.polls.get(pollId);
    if (!poll) throw new CodedError('POLL_NOT_FOUND', `poll ${pollId} not found`);
    if (!poll.open) return poll.view();
    if (this.current?.poll === poll) {
      clearTimeout(this.current.timer);
      this.current = undefined;
    }
    // Closed in Redis first: a vote on any node after this is refused, one before it is in the tallies read next.
    await this.votes.close(poll.id).catch(() => undefined);
    const counted = await this.votes.tallies(poll.id, poll.tallies.length).catch(() => undefined);
    if (counted) counted.forEach((n, i) => (poll.tallies[i] = Math.max(n, poll.tallies[i]!)));
    const result = poll.close();
    this.safeEmit('closed', poll.view(), result, poll.request);
    return poll.view();
  }

  /** What a poll was launched with (the show-wide state carries it to other nodes). */
  requestOf(pollId: string): PollRequest | undefined {
    return this.polls.get(pollId)?.request;
  }

  get(pollId: string): PollView | undefined {
    return this.polls.get(pollId)?.view();
  }

  list(): PollView[] {
    return [...this.polls.values()].map((p) => p.view());
  }

  dispose(): void {
    if (this.current) clearTimeout(this.current.timer);
    clearTimeout(this.tallyTimer);
    this.current = undefined;
  }

  private scheduleTally(): void {
    if (this.tallyTimer) return;
    this.tallyTimer = setTimeout(() => {
      const poll = this.current?.poll;
      if (!poll) return void (this.tallyTimer = undefined);
      // Redis counts every node's votes; memory is the fallback while it is away.
      void this.votes
        .tallies(poll.id, poll.tallies.length)
        .then((counted) => counted.forEach((n, i) => (poll.tallies[i] = Math.max(n, poll.tallies[i]!))), () => undefined)
        .then(() => {
          this.tallyTimer = undefined;
          if (this.current?.poll === poll) this.safeEmit('update', poll.view());
        });
    }, TALLY_INTERVAL_MS);
  }
}
