import type { Brain, FactFinder } from '../brain/Brain.js';
import type { Intent } from '../intent/intents.js';
import type { Persona } from '../persona/index.js';
import type { ShowContext } from '../script/index.js';
import type { CueFlight } from './CueFlight.js';
import type { CueRegistry } from './CueRegistry.js';

/** What a cue says: its lines in speaking order, each as soon as it is written. */
export interface CueScript {
  lines: AsyncIterable<string> | Iterable<string>;
  /** Settles once the whole script is written (and audited); never rejects. */
  written: Promise<void>;
}

/**
 * The thinking stages of a prompt cue: the brain classifies the prompt and writes the script
 * one sentence at a time, so the first sentence can be on air while the rest is written.
 * The cue's text grows sentence by sentence; a refusal ends the cue.
 */
export class CueThinking {
  /** `findFacts`: the show's facts for a question in a persona's language (none: prompts are never grounded). */
  constructor(
    private readonly brain: Brain,
    private readonly registry: CueRegistry,
    private readonly findFacts?: (question: string, persona: Persona) => ReturnType<FactFinder>,
  ) {}

  /** `hostIntent`: the host's own reading of the prompt; off-policy text is refused whatever it says. */
  async think(flight: CueFlight, context: ShowContext, hostIntent: Intent | undefined): Promise<CueScript> {
    const { cue } = flight;
    const find = this.findFacts;
    const facts = find && ((question: string) => find(question, flight.persona));
    const thought = await this.brain.think(cue.prompt!, flight.persona, context, flight.trace, flight.signal, hostIntent, facts);
    cue.intent = thought.classified;
    // A prompt read as a question: the host sees at once whether the facts answer it (the cue's `answer`).
    if (thought.grounded && !cue.answer) cue.answer = { status: thought.grounded.length > 0 ? 'answered' : 'abstained', facts: thought.grounded.map((fact) => fact.id), strayed: 0 };
    const written = thought.outcome.then((outcome) => {
      cue.script = { path: outcome.path, fallback: outcome.fallback, ...(outcome.fallbackReason && { fallbackReason: outcome.fallbackReason }), audits: outcome.audits };
      if (outcome.grounding) cue.answer = outcome.grounding;
      if (outcome.status === 'refused') this.registry.finish(flight, { state: 'refused', reason: `refused: ${outcome.refusal ?? thought.classified.intent}` });
    });
    return { lines: transcribe(flight, thought.sentences), written };
  }
}

/** Passes sentences on, adding each to the cue's text; stops taking them once the cue is aborted. */
async function* transcribe(flight: CueFlight, sentences: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const sentence of sentences) {
    if (flight.signal.aborted) return;
    flight.cue.text = flight.cue.text ? `${flight.cue.text} ${sentence}` : sentence;
    yield sentence;
  }
}
