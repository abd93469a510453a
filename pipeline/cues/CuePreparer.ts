import { SerialQueue } from '../../lib/SerialQueue.js';
import type { Intent } from '../intent/intents.js';
import type { ShowContext } from '../script/index.js';
import type { CueApproval } from './CueApproval.js';
import type { CueFlight } from './CueFlight.js';
import type { CueRegistry } from './CueRegistry.js';
import type { CueScript, CueThinking } from './CueThinking.js';
import type { FallbackLadder } from './FallbackLadder.js';
import type { LaneScheduler } from './LaneScheduler.js';

export interface CuePreparerUnits {
  registry: CueRegistry;
  approval: CueApproval;
  ladder: FallbackLadder;
  lane: LaneScheduler;
  /** Without it the show takes only `say` cues. */
  thinking?: CueThinking;
}

/**
 * Prepares cues one at a time, in arrival order, while earlier ones are on air: the script
 * (the host's text, or the brain's sentences through approval), then each line's speech (or
 * its text overlay) onto the lane as soon as it is ready. An aborted cue stops at the next
 * step, and a cue queued behind it starts at once.
 */
export class CuePreparer {
  private readonly queue = new SerialQueue();

  constructor(private readonly units: CuePreparerUnits) {}

  prepare(flight: CueFlight, context: ShowContext, hostIntent: Intent | undefined): void {
    void this.queue.run(() => this.run(flight, context, hostIntent));
  }

  private async run(flight: CueFlight, context: ShowContext, hostIntent: Intent | undefined): Promise<void> {
    const { ladder, lane, registry } = this.units;
    const { signal } = flight;
    if (signal.aborted) return;
    const startedMs = performance.now();
    try {
      const script = await this.script(flight, context, hostIntent);
      for await (const line of script.lines) {
        if (signal.aborted) return;
        const speech = await ladder.speak(flight, line);
        if (speech && !signal.aborted) lane.enqueue(flight, line, speech);
      }
      await script.written;
      if (!signal.aborted) lane.lastPartEnqueued(flight);
    } catch (error) {
      if (signal.aborted) return;
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      registry.finish(flight, { state: 'failed', reason: `${reason} after ${Math.round(performance.now() - startedMs)} ms` });
    }
  }

  private async script(flight: CueFlight, context: ShowContext, hostIntent: Intent | undefined): Promise<CueScript> {
    const { cue } = flight;
    if (cue.kind === 'say') return { lines: [cue.text], written: Promise.resolve() };
    // prompt() takes prompt cues only when the show has a brain.
    const script = await this.units.thinking!.think(flight, context, hostIntent);
    return { lines: await this.units.approval.review(flight, script), written: script.written };
  }
}
