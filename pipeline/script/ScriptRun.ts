import type { ScriptOutcome } from './ScriptOutcome.js';

/**
 * The sentences of one cue, to iterate once; `outcome` settles when the iteration ends
 * (normally, by error, by abort or by the consumer breaking out) and never rejects.
 */
export class ScriptRun implements AsyncIterable<string> {
  private started = false;

  constructor(
    private readonly sentences: AsyncGenerator<string, void, undefined>,
    readonly outcome: Promise<ScriptOutcome>,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<string> {
    if (this.started) throw new Error('a ScriptRun can be iterated only once');
    this.started = true;
    return this.sentences;
  }

  /** Iterates to the end; errors (e.g. `ScriptAbortedError`) still throw. */
  async collect(): Promise<ScriptOutcome> {
    const iterator = this[Symbol.asyncIterator]();
    // The outcome records every sentence.
    while (!(await iterator.next()).done);
    return this.outcome;
  }
}
