import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { validateSpeechText } from '../tts/text.js';
import type { Rundown, RundownLine, RundownPoll, RundownSegment } from './Rundown.js';
import { RundownError } from './RundownError.js';
import { feedOf, fillSlots } from './slotTemplate.js';

export type AutopilotState = 'playing' | 'paused' | 'finished' | 'stopped';

/**
 * How a line (or an inserted line or prompt, or a viewer's answer) ended; `left`: a skip, jump
 * or stop ended the autopilot's wait, and the line plays out on its own.
 */
export type LineOutcome = 'done' | 'interrupted' | 'failed' | 'refused' | 'left';

/** Where the autopilot is: what a takeover puts back, and what the host page shows. */
export interface AutopilotPosition {
  /** Index of the segment being played. */
  segment: number;
  /** Index of the next line of the segment, in the autopilot's language. */
  line: number;
  /** The segment's poll has run. */
  polled: boolean;
  /** The segment a poll result chose to go on with, by index. */
  next?: number;
}

/** The segment as a prompt sees it (ShowContext.segment). */
export interface SegmentContext {
  title: string;
  talkingPoints: string[];
}

/** `question`: the host says the prompt is a question, answered from the show's facts (docs/knowledge.md). */
export type Insert = { text: string } | { prompt: string; question?: true };

/**
 * What the autopilot plays through: the show's cues, polls, chat and data feeds. Each call
 * resolves when what it started is over (a line spoken or cut, a poll closed), or when
 * `signal` aborts: the autopilot stops waiting, and what is on air plays out.
 */
export interface AutopilotStage {
  say(
    line: { text: string; offer?: RundownLine['offer'] },
    language: string,
    signal: AbortSignal,
  ): Promise<LineOutcome>;
  /** `question`: answer it from the show's facts whatever the intent model reads (it reads questions by itself too). */
  prompt(
    prompt: string,
    segment: SegmentContext,
    signal: AbortSignal,
    question?: boolean,
  ): Promise<LineOutcome>;
  /** Opens the poll; the winning option's index once it closes, undefined without votes. */
  poll(poll: RundownPoll, signal: AbortSignal): Promise<number | undefined>;
  /** Answers a viewer question that is waiting; undefined when none is. */
  answerQuestion(segment: SegmentContext, signal: AbortSignal): Promise<LineOutcome | undefined>;
  /** A data feed's cached value (never a fetch: it must not hold the show up). */
  data(feed: string): Promise<unknown>;
}

export interface AutopilotView {
  state: AutopilotState;
  language: string;
  position: AutopilotPosition;
  segmentId: string | undefined;
  /** The text of the line the autopilot last handed to the presenter. */
  line?: string;
  inserts: number;
}

export type AutopilotEvents = {
  state: [state: AutopilotState];
  segment: [index: number, segment: RundownSegment];
  /** A scripted line was spoken (or cut, or failed). */
  line: [segment: number, line: number, text: string, outcome: LineOutcome];
  /** A line was passed over: its data is missing, or what its data made of it cannot be spoken. */
  skipped: [segment: number, line: number, reason: string];
  inserted: [insert: Insert, outcome: LineOutcome];
  poll: [segment: number, winner: number | undefined];
  question: [outcome: LineOutcome];
  /** Anything the view shows changed. */
  progress: [view: AutopilotView];
};

export interface AutopilotOptions {
  rundown: Rundown;
  language: string;
  stage: AutopilotStage;
  /** Where to start (a jump, or a takeover's saved position); the first line by default. */
  from?: AutopilotPosition;
  paused?: boolean;
  /** A test's fake clock; setTimeout otherwise. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const MAX_PENDING_INSERTS = 10;

/**
 * Plays a rundown by itself, as a cancellable task: each segment's lines in order with a
 * natural pause between them, then its poll (the result may choose the next segment), then a
 * waiting viewer question, then the next segment. The host can pause, resume, skip, jump and
 * insert at any time; a line the host interrupts ends like any other and the next one follows.
 * What is on air is never cut by a control: skip and jump stop the waiting, not the speech.
 */
export class Autopilot extends EnhancedEventEmitter<AutopilotEvents> {
  private state_: AutopilotState;
  private position: AutopilotPosition;
  private readonly inserts: Insert[] = [];
  private lastLine: string | undefined;
  /** Aborted by skip, jump and stop: every wait ends. */
  private moved = new AbortController();
  /** Aborted by resume and insert too: pauses and the paused wait end. */
  private nudged = new AbortController();
  /** Bumped by skip and jump, so a step that was waiting does not move the position again. */
  private generation = 0;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Settles when the task is over (finished or stopped); never rejects. */
  readonly done: Promise<void>;

  constructor(private readonly options: AutopilotOptions) {
    super();
    this.position = { ...(options.from ?? { segment: 0, line: 0, polled: false }) };
    this.state_ = options.paused ? 'paused' : 'playing';
    this.sleep = options.sleep ?? sleep;
    this.done = Promise.resolve().then(() => this.run());
  }

  get state(): AutopilotState {
    return this.state_;
  }

  get language(): string {
    return this.options.language;
  }

  view(): AutopilotView {
    return {
      state: this.state_,
      language: this.options.language,
      position: { ...this.position },
      segmentId: this.options.rundown.segments[this.position.segment]?.id,
      ...(this.lastLine !== undefined && { line: this.lastLine }),
      inserts: this.inserts.length,
    };
  }

  /** Stops after what it is doing now (the line on air, an open poll's wait). */
  pause(): void {
    this.requireActive();
    if (this.state_ === 'paused') return;
    this.setState('paused');
  }

  resume(): void {
    this.requireActive();
    if (this.state_ === 'playing') return;
    this.setState('playing');
    this.nudge();
  }

  /** On to the next segment; the line on air finishes. */
  skip(): void {
    this.requireActive();
    this.moveTo(this.position.segment + 1);
  }

  jump(segmentId: string): void {
    this.requireActive();
    const index = this.options.rundown.segments.findIndex((s) => s.id === segmentId);
    if (index < 0)
      throw new RundownError(
        'RUNDOWN_SEGMENT_NOT_FOUND',
        `the rundown has no segment ${JSON.stringify(segmentId.slice(0, 40))}`,
      );
    this.moveTo(index);
  }

  /** A line or prompt said next (after the line on air, even while paused); then the rundown goes on. */
  insert(insert: Insert): void {
    this.requireActive();
    if (this.inserts.length >= MAX_PENDING_INSERTS)
      throw new RundownError('CUE_QUEUE_FULL', `at most ${MAX_PENDING_INSERTS} inserts may wait`);
    this.inserts.push(insert);
    this.nudge();
    this.progress();
  }

  /** Ends the task: nothing more is said by it. Idempotent. */
  stop(): void {
    if (this.state_ === 'stopped' || this.state_ === 'finished') return;
    this.setState('stopped');
    this.moved.abort();
    this.nudged.abort();
  }

  private get active(): boolean {
    return this.state_ === 'playing' || this.state_ === 'paused';
  }

  private requireActive(): void {
    if (!this.active)
      throw new RundownError('AUTOPILOT_NOT_RUNNING', `the autopilot is ${this.state_}`);
  }

  private moveTo(segment: number): void {
    this.generation++;
    this.position = { segment, line: 0, polled: false };
    const moved = this.moved;
    this.moved = new AbortController();
    moved.abort();
    this.nudge();
    this.progress();
  }

  private nudge(): void {
    const nudged = this.nudged;
    this.nudged = new AbortController();
    nudged.abort();
  }

  private setState(state: AutopilotState): void {
    this.state_ = state;
    this.safeEmit('state', state);
    this.progress();
  }

  private progress(): void {
    this.safeEmit('progress', this.view());
  }

  private async run(): Promise<void> {
    try {
      let announced = -1;
      while (this.active) {
        const insert = this.inserts.shift();
        if (insert) {
          await this.playInsert(insert);
          continue;
        }
        if (this.state_ === 'paused') {
          await waitFor(this.nudged.signal);
          continue;
        }
        const { segments } = this.options.rundown;
        const segment = segments[this.position.segment];
        if (!segment) {
          this.setState('finished');
          return;
        }
        if (announced !== this.position.segment) {
          this.safeEmit('segment', this.position.segment, segment);
          announced = this.position.segment;
        }
        await this.step(segment);
      }
    } catch (error) {
      // A stage that throws is a bug there; the autopilot stops rather than loop on it.
      process.emitWarning(`autopilot stopped: ${String(error)}`);
      this.stop();
    }
  }

  /** One step of a segment: its next line, else its poll, else a viewer question and the move on. */
  private async step(segment: RundownSegment): Promise<void> {
    const { rundown, language, stage } = this.options;
    const lines = segment.lines[language] ?? [];
    const generation = this.generation;
    const at = { ...this.position };
    if (at.line < lines.length) {
      const line = lines[at.line]!;
      const text = await this.fill(line);
      if (text === undefined) {
        this.advance(generation, { line: at.line + 1 });
        return;
      }
      this.lastLine = text;
      this.progress();
      const outcome = await stage
        .say({ text, ...(line.offer && { offer: line.offer }) }, language, this.moved.signal)
        .catch(() => 'failed' as const);
      this.safeEmit('line', at.segment, at.line, text, outcome);
      this.advance(generation, { line: at.line + 1 });
      await this.rest(rundown.linePauseMs);
      return;
    }
    if (segment.poll && !at.polled) {
      this.advance(generation, { polled: true });
      const winner = await stage.poll(segment.poll, this.moved.signal).catch(() => undefined);
      const next = winner === undefined ? undefined : segment.poll.options[winner]?.next;
      const index = next === undefined ? -1 : rundown.segments.findIndex((s) => s.id === next);
      this.safeEmit('poll', at.segment, winner);
      if (index >= 0) this.advance(generation, { next: index });
      return;
    }
    // Between segments: the natural point to take a viewer's question.
    const answered = await stage
      .answerQuestion(context(segment), this.moved.signal)
      .catch(() => 'failed' as const);
    if (answered !== undefined) this.safeEmit('question', answered);
    if (this.generation !== generation) return;
    this.advance(generation, {
      segment: this.position.next ?? at.segment + 1,
      line: 0,
      polled: false,
      next: undefined,
    });
    if (this.position.segment < rundown.segments.length) await this.rest(rundown.segmentPauseMs);
  }

  private async playInsert(insert: Insert): Promise<void> {
    const { stage, rundown } = this.options;
    const segment = rundown.segments[this.position.segment] ?? rundown.segments.at(-1)!;
    this.progress();
    const outcome =
      'text' in insert
        ? await stage
            .say({ text: insert.text }, this.options.language, this.moved.signal)
            .catch(() => 'failed' as const)
        : await stage
            .prompt(insert.prompt, context(segment), this.moved.signal, insert.question === true)
            .catch(() => 'failed' as const);
    this.safeEmit('inserted', insert, outcome);
    this.progress();
    await this.rest(rundown.linePauseMs);
  }

  /** A line's text with its data slots filled from the feeds' cached values; undefined: skip it. */
  private async fill(line: RundownLine): Promise<string | undefined> {
    if (line.slots.length === 0) return line.text;
    const { segment, line: index } = this.position;
    const feeds = [...new Set(line.slots.map(feedOf))];
    const values = await Promise.all(
      feeds.map((feed) => this.options.stage.data(feed).catch(() => undefined)),
    );
    const data: Record<string, unknown> = {};
    feeds.forEach((feed, i) =>
      Object.defineProperty(data, feed, { value: values[i], enumerable: true }),
    );
    const filled = fillSlots(line.text, data);
    if (filled === undefined) {
      this.safeEmit('skipped', segment, index, 'its data feed has no value for a slot');
      return undefined;
    }
    try {
      return validateSpeechText(filled);
    } catch (error) {
      this.safeEmit('skipped', segment, index, (error as Error).message);
      return undefined;
    }
  }

  /** Moves the position on, unless a skip or jump moved it while the step waited. */
  private advance(generation: number, change: Partial<AutopilotPosition>): void {
    if (this.generation !== generation) return;
    this.position = { ...this.position, ...change };
    if (this.position.next === undefined) delete this.position.next;
    this.progress();
  }

  private async rest(ms: number): Promise<void> {
    if (ms <= 0 || !this.active || this.inserts.length > 0) return;
    const moved = this.moved.signal;
    const nudged = this.nudged.signal;
    const either = new AbortController();
    const stop = () => either.abort();
    moved.addEventListener('abort', stop, { once: true });
    nudged.addEventListener('abort', stop, { once: true });
    try {
      await this.sleep(ms, either.signal);
    } finally {
      moved.removeEventListener('abort', stop);
      nudged.removeEventListener('abort', stop);
    }
  }
}

const context = (segment: RundownSegment): SegmentContext => ({
  title: segment.title,
  talkingPoints: [...segment.talkingPoints],
});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function waitFor(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) =>
    signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
