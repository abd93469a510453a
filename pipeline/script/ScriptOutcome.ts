import type { ScriptAudit } from './ScriptAudit.js';

/** How the stage produced the line: `refused` for off_policy, where nothing is spoken. */
export type ScriptPath = 'refused' | 'template' | 'llm' | 'hold';

/**
 * `template`: the LLM failed before its first sentence; `hold`: no LLM, no usable template
 * or a blocked line; `truncated`: the LLM died (or was blocked) after some sentences.
 */
export type ScriptFallback = 'none' | 'template' | 'hold' | 'truncated';

/** How a grounded answer went (docs/knowledge.md); only runs whose context has `facts` have one. */
export interface ScriptGrounding {
  /** `abstained`: no fact matched, and the presenter said it does not know. */
  status: 'answered' | 'abstained';
  /** Ids of the facts the answer was given from, best first. */
  facts: string[];
  /** LLM sentences not spoken because they strayed from the facts. */
  strayed: number;
}

export interface ScriptOutcome {
  /** `stopped`: the consumer quit iterating early; `aborted`: the AbortSignal fired. */
  status: 'spoken' | 'refused' | 'aborted' | 'stopped';
  path: ScriptPath;
  fallback: ScriptFallback;
  /** An error `code`/`reason` or rule, e.g. `LLM_TIMEOUT`, `no-llm`, `policy-block`. */
  fallbackReason?: string;
  /** Policy-checked sentences handed to the consumer, in order. */
  sentences: string[];
  audits: ScriptAudit[];
  /** Why a `refused` run was refused: `off_policy`, or `safety:<categories>`. */
  refusal?: string;
  grounding?: ScriptGrounding;
}
