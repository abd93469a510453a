export * from './errors.js';
export type { ShowContext } from './ShowContext.js';
export { SCRIPT_LANGUAGES, scriptLanguageOf, type ScriptLanguage } from './language.js';
export { toPlainText } from './plainText.js';
export { SLOTS, type Slot, type SlotValues } from './slots.js';
export { TemplateSet, type TemplateVariant, type TemplateTone, type TemplateKind } from './TemplateSet.js';
export { parseTemplates, loadTemplates, DEFAULT_TEMPLATES_FILE } from './parseTemplates.js';
export { TemplateScripter, type TemplateLine } from './TemplateScripter.js';
export {
  llmConfigFromEnv,
  chatCompletionsUrl,
  DEFAULT_LLM_BUDGET_MS,
  type LlmConfig,
} from './LlmConfig.js';
export { chatMessages, VIEWER_OPEN, VIEWER_CLOSE, type ChatMessage } from './chatMessages.js';
export { LlmScripter, type LlmRequest } from './LlmScripter.js';
export type { PolicyRules, BannedTerm, DisclaimerRule } from './PolicyRules.js';
export type { PolicyContext, PolicyDecision, PolicyResult } from './PolicyDecision.js';
export { parsePolicy, loadPolicy, DEFAULT_POLICY_FILE } from './parsePolicy.js';
export { PolicyFilter } from './PolicyFilter.js';
export { PolicyStream } from './PolicyStream.js';
export { buildScriptAudit, type ScriptAudit, type ScriptSource } from './ScriptAudit.js';
export { holdLine } from './holdLine.js';
export type { ScriptOutcome, ScriptPath, ScriptFallback, ScriptGrounding } from './ScriptOutcome.js';
export { ScriptRun } from './ScriptRun.js';
export type { ClassifiedIntent, ScriptRequest, ScriptStageOptions } from './ScriptRequest.js';
export { ScriptStage, DEFAULT_CONFIDENCE_THRESHOLD } from './ScriptStage.js';
