import type { Intent } from '../intent/intents.js';
import type { Persona } from '../persona/index.js';
import type { SafetyGuard, SafetyVerdict } from '../safety/SafetyModel.js';
import type { LlmScripter } from './LlmScripter.js';
import type { PolicyFilter } from './PolicyFilter.js';
import type { ShowContext } from './ShowContext.js';
import type { TemplateScripter } from './TemplateScripter.js';

export interface ClassifiedIntent {
  intent: Intent;
  confidence: number;
  /** Version of the intent model, for the audit. */
  version: string;
}

export interface ScriptStageOptions {
  templates: TemplateScripter;
  policy: PolicyFilter;
  llm?: LlmScripter;
  /** When set, every template line and LLM sentence is checked before it is yielded (docs/safety.md). */
  safety?: SafetyGuard;
  /** At or above it the template fast path is taken; below it the LLM (or the hold line). */
  confidenceThreshold?: number;
  now?: () => number;
}

export interface ScriptRequest {
  classified: ClassifiedIntent;
  persona: Persona;
  context: ShowContext;
  /** Picks the template variant; defaults to the trace id. */
  seed?: number | string;
  traceId?: string;
  signal?: AbortSignal;
  /** The safety verdict on the prompt (or the viewer's question); `refuse` refuses the run. */
  promptSafety?: SafetyVerdict;
}
