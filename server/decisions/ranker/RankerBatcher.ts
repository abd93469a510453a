import type { RankerScorer } from './RankerScorer.js';

export type RankerFailure = 'model_error' | 'budget_exceeded';
export type BatchOutcome =
  { ok: true; scores: Float32Array; offset: number } | { ok: false; failure: RankerFailure };

interface Pending {
  offset: number;
  rows: number;
  deadlineMs: number;
  settled: boolean;
  resolve: (outcome: BatchOutcome) => void;
}

export interface RankerBatcherOptions {
  /** Rows per ORT call before a batch is sent without waiting for the tick to end. */
  maxRows?: number;
  now?: () => number;
}

/**
 * Micro-batches the candidate rows of every decision submitted in the same tick into one
 * scorer call (one ORT session.run), because a call per decision costs more than the
 * decision. Each submission has a deadline: one timer per batch settles whatever is still
 * waiting at its deadline as `budget_exceeded`, so a slow model cannot hold a decision.
 * The outcome promise never rejects.
 */
export class RankerBatcher {
  private readonly maxRows: number;
  private readonly now: () => number;
  private buffer: Float32Array;
  private rows = 0;
  private pending: Pending[] = [];
  private scheduled = false;
  /** Buffers whose batch has been scored, for reuse: a fresh one per flush is GC churn. */
  private readonly spare: Float32Array[] = [];

  constructor(
    readonly scorer: RankerScorer,
    options: RankerBatcherOptions = {},
  ) {
    this.maxRows = options.maxRows ?? 4096;
    this.now = options.now ?? (() => performance.now());
    this.buffer = this.newBuffer();
  }

  private newBuffer(): Float32Array {
    return (
      this.spare.pop() ?? new Float32Array(Math.min(this.maxRows, 256) * this.scorer.dimension)
    );
  }

  /** Copies `rows` rows out of `features` now; scores arrive with the batch. */
  submit(features: Float32Array, rows: number, deadlineMs: number): Promise<BatchOutcome> {
    const dimension = this.scorer.dimension;
    if (this.rows > 0 && this.rows + rows > this.maxRows) this.flush();
    if ((this.rows + rows) * dimension > this.buffer.length) {
      const grown = new Float32Array(
        Math.max(this.rows + rows, (2 * this.buffer.length) / dimension) * dimension,
      );
      grown.set(this.buffer.subarray(0, this.rows * dimension));
      this.buffer = grown;
    }
    this.buffer.set(features.subarray(0, rows * dimension), this.rows * dimension);
    const offset = this.rows;
    this.rows += rows;
    const outcome = new Promise<BatchOutcome>((resolve) => {
      this.pending.push({ offset, rows, deadlineMs, settled: false, resolve });
    });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return outcome;
  }

  private recycle(buffer: Float32Array): void {
    if (this.spare.length < 4) this.spare.push(buffer);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    const features = this.buffer;
    const rows = this.rows;
    this.pending = [];
    this.rows = 0;
    this.buffer = this.newBuffer();
    const timer = this.armDeadline(batch);
    let scored: Promise<Float32Array>;
    try {
      scored = this.scorer.score(features, rows);
    } catch {
      scored = Promise.reject(new Error('scorer threw'));
    }
    scored.then(
      (scores) => {
        clearTimeout(timer.handle);
        this.recycle(features);
        this.deliver(batch, scores);
      },
      () => {
        clearTimeout(timer.handle);
        this.recycle(features);
        for (const p of batch) settle(p, { ok: false, failure: 'model_error' });
      },
    );
  }

  private deliver(batch: Pending[], scores: Float32Array): void {
    const now = this.now();
    for (const p of batch) {
      if (now > p.deadlineMs) settle(p, { ok: false, failure: 'budget_exceeded' });
      else if (!validScores(scores, p)) settle(p, { ok: false, failure: 'model_error' });
      else settle(p, { ok: true, scores, offset: p.offset });
    }
  }

  /** One timer for the batch, re-armed for the next deadline while some are still waiting. */
  private armDeadline(batch: Pending[]): { handle: NodeJS.Timeout } {
    const timer = { handle: undefined as unknown as NodeJS.Timeout };
    const arm = () => {
      const waiting = batch.filter((p) => !p.settled);
      if (waiting.length === 0) return;
      const earliest = Math.min(...waiting.map((p) => p.deadlineMs));
      timer.handle = setTimeout(
        () => {
          const now = this.now();
          for (const p of waiting) {
            if (p.deadlineMs <= now) settle(p, { ok: false, failure: 'budget_exceeded' });
          }
          arm();
        },
        Math.max(0, earliest - this.now()),
      );
    };
    arm();
    return timer;
  }
}

function settle(pending: Pending, outcome: BatchOutcome): void {
  if (pending.settled) return;
  pending.settled = true;
  pending.resolve(outcome);
}

function validScores(scores: Float32Array, p: Pending): boolean {
  if (!(scores instanceof Float32Array) || scores.length < p.offset + p.rows) return false;
  for (let i = p.offset; i < p.offset + p.rows; i++) {
    const s = scores[i]!;
    if (!(s >= 0 && s <= 1)) return false;
  }
  return true;
}
