import { CodedError } from '../../lib/errors/CodedError.js';

/** Intent model errors; `code` is stable and reaches API clients. */
export class IntentError extends CodedError {}

export class InvalidIntentTextError extends IntentError {}

export class IntentModelError extends IntentError {}
