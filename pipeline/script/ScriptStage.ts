import { ScriptRun } from './ScriptRun.js';
import type { ScriptOutcome } from './ScriptOutcome.js';
import type { ScriptRequest, ScriptStageOptions } from './ScriptRequest.js';
import { ScriptTurn } from './ScriptTurn.js';

export const DEFAULT_CONFIDENCE_THRESHOLD = 0.6;

/**
 * Turns a classified cue into policy-checked sentences, partitioned by certainty:
 * off_policy is refused, a confident intent takes a template, an uncertain one asks the LLM
 * (falling back to a template) or, without an LLM, says a hold line.
 */
export class ScriptStage {
  readonly confidenceThreshold: number;

  constructor(private readonly options: ScriptStageOptions) {
    this.confidenceThreshold = options.confidenceThreshold ?? DEFAULT_CONFIDENCE_THRESHOLD;
  }

  run(request: ScriptRequest): ScriptRun {
    let settle!: (outcome: ScriptOutcome) => void;
    const outcome = new Promise<ScriptOutcome>((resolve) => (settle = resolve));
    return new ScriptRun(
      new ScriptTurn(this.options, this.confidenceThreshold, request).speak(settle),
      outcome,
    );
  }
}
