import type { StageTrace } from '../brain/StageTrace.js';
import type { Persona } from '../persona/index.js';
import { FINAL_STATES, type Cue } from './Cue.js';

/**
 * One cue on its way through the units: the record the host sees, its trace, and what is
 * still owed on it. Every unit of work done for the cue listens to `signal`, so one abort
 * cancels all of it, running or queued.
 */
export class CueFlight {
  private readonly controller = new AbortController();
  /** Parts handed to the presenter, and how many of those have ended. */
  partsEnqueued = 0;
  partsEnded = 0;
  /** Every line has been written (and approved): no more parts will come. */
  scriptDone = false;
  /** Lines that went out as a text overlay because they could not be spoken. */
  captioned = 0;
  /** Trace time at which the first part went to the presenter: the render stage's start. */
  firstEnqueuedMs: number | undefined;
  /** Only the offer word's first mention is timed. */
  offerPlaced = false;

  constructor(
    readonly cue: Cue,
    readonly trace: StageTrace,
    /** The cue's persona, fixed when it arrived; a later switch applies to later cues. */
    readonly persona: Persona,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Final: done, interrupted, failed or refused. Nothing about it changes any more. */
  get finished(): boolean {
    return FINAL_STATES.includes(this.cue.state);
  }

  /** Cancels every unit of work still running or queued for the cue. Idempotent. */
  abort(): void {
    this.controller.abort();
  }

  /** Ms since the cue arrived: the unit of every entry of `cue.timings` but the first. */
  elapsedMs(): number {
    return Date.now() - this.cue.timings.receivedAt;
  }
}
