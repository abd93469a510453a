import { CodedError } from '../../lib/errors/CodedError.js';

/** Safety classifier errors; `code` is stable and reaches API clients. */
export class SafetyError extends CodedError {}

/** The text or language given to the safety check is not acceptable input. */
export class InvalidSafetyInputError extends SafetyError {}

export class SafetyModelError extends SafetyError {}
