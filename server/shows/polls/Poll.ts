import { randomBytes } from 'node:crypto';
import { CodedError } from '../../../lib/errors/CodedError.js';

export interface PollOption {
  label: string;
  /** What the presenter talks about next when this option wins; default "Talk about <label>". */
  segment?: string;
}

export interface PollRequest {
  question: string;
  options: PollOption[];
  durationMs: number;
}

export interface PollResult {
  winner: number;
  label: string;
  /** Whole percent of the votes cast. */
  percent: number;
  total: number;
}

export interface PollView {
  id: string;
  question: string;
  options: string[];
  tallies: number[];
  total: number;
  state: 'open' | 'closed';
  closesAt: number;
  result?: PollResult;
}

const PLAIN_TEXT = /^[^\p{Cc}\p{Cf}]*$/u;
const POLL_LIMITS = { question: 120, label: 60, segment: 200, minOptions: 2, maxOptions: 6, minDurationMs: 5_000, maxDurationMs: 600_000 };

/** One poll of a show: its options and live tallies. Votes are deduplicated by PollVotes. */
export class Poll {
  readonly id: string;
  readonly tallies: number[];
  readonly closesAt: number;
  private result_: PollResult | undefined;

  /** `resumed`: the same poll again on another node after a takeover (its votes are in Redis under its id). */
  constructor(readonly request: PollRequest, now = Date.now(), resumed?: { id: string; closesAt: number }) {
    validatePoll(request);
    if (resumed && !/^[0-9a-f]{16}$/.test(resumed.id)) throw invalid('a resumed poll keeps its 16-hex-digit id');
    this.id = resumed?.id ?? randomBytes(8).toString('hex');
    this.tallies = request.options.map(() => 0);
    this.closesAt = resumed?.closesAt ?? now + request.durationMs;
  }

  get open(): boolean {
    return this.result_ === undefined;
  }

  get result(): PollResult | undefined {
    return this.result_;
  }

  /** Ties go to the option listed first, so a result is always reproducible. */
  close(): PollResult {
    if (this.result_) return this.result_;
    const total = this.tallies.reduce((a, b) => a + b, 0);
    const winner = this.tallies.indexOf(Math.max(...this.tallies));
    this.result_ = { winner, label: this.request.options[winner]!.label, percent: total ? Math.round((this.tallies[winner]! * 100) / total) : 0, total };
    return this.result_;
  }

  view(): PollView {
    return {
      id: this.id,
      question: this.request.question,
      options: this.request.options.map((o) => o.label),
      tallies: [...this.tallies],
      total: this.tallies.reduce((a, b) => a + b, 0),
      state: this.open ? 'open' : 'closed',
      closesAt: this.closesAt,
      ...(this.result_ && { result: this.result_ }),
    };
  }
}

function validatePoll({ question, options, durationMs }: PollRequest): void {
  const { minOptions, maxOptions, minDurationMs, maxDurationMs } = POLL_LIMITS;
  text('question', question, POLL_LIMITS.question);
  if (!Array.isArray(options) || options.length < minOptions || options.length > maxOptions) throw invalid(`a poll has ${minOptions}-${maxOptions} options`);
  options.forEach((option, i) => {
    text(`options[${i}].label`, option.label, POLL_LIMITS.label);
    if (option.segment !== undefined) text(`options[${i}].segment`, option.segment, POLL_LIMITS.segment);
  });
  const labels = new Set(options.map((o) => o.label.trim().toLowerCase()));
  if (labels.size !== options.length) throw invalid('poll options must differ');
  if (!Number.isInteger(durationMs) || durationMs < minDurationMs || durationMs > maxDurationMs) throw invalid(`durationMs must be ${minDurationMs}-${maxDurationMs}`);
}

function text(field: string, value: unknown, max: number): void {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max || !PLAIN_TEXT.test(value)) {
    throw invalid(`${field} must be 1-${max} characters of plain text`);
  }
}

const invalid = (message: string) => new CodedError('INVALID_POLL', message);
