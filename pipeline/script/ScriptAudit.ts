import type { Intent } from '../intent/intents.js';
import type { PolicyDecision } from './PolicyDecision.js';

export type ScriptSource = 'template' | 'llm' | 'hold';

/** One record per line the stage decided on: what was (or was not) spoken, and why. */
export interface ScriptAudit {
  traceId: string;
  intent: Intent;
  intentConfidence: number;
  /** Version of the intent model that classified the cue. */
  modelVersion: string;
  source: ScriptSource;
  templateId?: string;
  llmModel?: string;
  rulesFired: string[];
  decision: PolicyDecision;
  /** What was spoken; for a block, the line that was blocked. */
  text: string;
  /** Epoch ms. */
  at: number;
}

export interface ScriptAuditInput extends Omit<ScriptAudit, 'at' | 'templateId' | 'llmModel'> {
  templateId?: string | undefined;
  llmModel?: string | undefined;
  at?: number;
}

/** An audit record with optional fields left out rather than undefined, so it serializes cleanly. */
export function buildScriptAudit(input: ScriptAuditInput): ScriptAudit {
  const { templateId, llmModel, at, ...rest } = input;
  const audit: ScriptAudit = { ...rest, rulesFired: [...rest.rulesFired], at: at ?? Date.now() };
  if (templateId !== undefined) audit.templateId = templateId;
  if (llmModel !== undefined) audit.llmModel = llmModel;
  return audit;
}
