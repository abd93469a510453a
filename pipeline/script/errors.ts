import { CodedError } from '../../lib/errors/CodedError.js';

/** Script-stage errors; `code` is stable and reaches logs and API clients. */
export class ScriptError extends CodedError {}

/** A templates or policy document is invalid; `path` is the dotted place, e.g. `greet.warm.en.a`. */
export class ScriptConfigError extends ScriptError {
  constructor(
    readonly source: string,
    readonly path: string,
    readonly reason: string,
  ) {
    super('SCRIPT_CONFIG_INVALID', `${source}: ${path || '(root)'}: ${reason}`);
  }
}

export class TemplateNotFoundError extends ScriptError {
  constructor(readonly place: string) {
    super('SCRIPT_TEMPLATE_MISSING', `no template for ${place}`);
  }
}

/** Every variant for the place needs a slot value the context does not have. */
export class TemplateSlotMissingError extends ScriptError {
  constructor(
    readonly place: string,
    readonly missing: readonly string[],
  ) {
    super('SCRIPT_SLOT_MISSING', `every template for ${place} needs one of: ${missing.join(', ')}`);
  }
}

/** An LLM_* environment variable is missing or invalid; `variable` names it. */
export class LlmConfigError extends ScriptError {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super('LLM_CONFIG_INVALID', `${variable}: ${reason}`);
  }
}

export const LLM_FAILURE_REASONS = [
  'LLM_TIMEOUT',
  'LLM_HTTP_ERROR',
  'LLM_MALFORMED',
  'LLM_EMPTY',
] as const;
export type LlmFailureReason = (typeof LLM_FAILURE_REASONS)[number];

/**
 * The LLM gave no usable answer in time. Sentences already yielded (`sentencesYielded`) stay
 * valid: a caller with zero of them falls back to a template, otherwise it ends the line there.
 */
export class LlmUnavailableError extends ScriptError {
  constructor(
    readonly reason: LlmFailureReason,
    readonly sentencesYielded: number,
    detail: string,
  ) {
    super('LLM_UNAVAILABLE', `${reason}: ${detail} (after ${sentencesYielded} sentence(s))`);
  }
}

/** The caller's AbortSignal fired (an interrupt); nothing more will be spoken. */
export class ScriptAbortedError extends ScriptError {
  constructor() {
    super('SCRIPT_ABORTED', 'script generation was cancelled');
  }
}
