import { randomUUID } from 'node:crypto';
import { STAGE_BUDGETS_MS, type FallbackTier, type StageName } from './stages.js';

export interface StageSpan {
  stage: StageName;
  /** Ms after the trace began. */
  startMs: number;
  endMs: number;
  budgetMs: number;
  overBudget: boolean;
  /** What the stage did: an intent and its confidence, a script path, a speech source. */
  detail?: string;
}

export interface FallbackRecord {
  stage: StageName;
  to: FallbackTier;
  reason: string;
  atMs: number;
}

export interface TraceObserver {
  span(stage: StageName, seconds: number): void;
  fallback(stage: StageName, to: FallbackTier): void;
}

/** One cue's timeline through the stages, with every fallback it took. Times in ms. */
export class StageTrace {
  readonly id = randomUUID();
  readonly startedAt = Date.now();
  private readonly origin = performance.now();
  readonly spans: StageSpan[] = [];
  readonly fallbacks: FallbackRecord[] = [];
  /** Stream time at which the cue's first audio went out. */
  firstAudioStreamTimeMs: number | undefined;

  constructor(private readonly observer?: TraceObserver) {}

  now(): number {
    return performance.now() - this.origin;
  }

  /** Records a span that began at `startMs` (from `now()`) and ends now. */
  end(stage: StageName, startMs: number, detail?: string, budgetMs = STAGE_BUDGETS_MS[stage]): StageSpan {
    const endMs = this.now();
    const span: StageSpan = { stage, startMs: round(startMs), endMs: round(endMs), budgetMs, overBudget: endMs - startMs > budgetMs, ...(detail && { detail }) };
    this.spans.push(span);
    this.observer?.span(stage, (endMs - startMs) / 1000);
    return span;
  }

  async time<T>(stage: StageName, work: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
    const start = this.now();
    const result = await work();
    this.end(stage, start, detail?.(result));
    return result;
  }

  fallback(stage: StageName, to: FallbackTier, reason: string): void {
    this.fallbacks.push({ stage, to, reason, atMs: round(this.now()) });
    this.observer?.fallback(stage, to);
  }

  toJSON() {
    return { traceId: this.id, startedAt: this.startedAt, firstAudioStreamTimeMs: this.firstAudioStreamTimeMs, spans: this.spans, fallbacks: this.fallbacks };
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
