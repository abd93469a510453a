import { CodedError } from '../../lib/errors/CodedError.js';

/** Intent model errors; `code` is stable and reaches API clients. */
export class IntentError extends CodedError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = new.target.name;
  }
}

export class InvalidIntentTextError extends IntentError {}

export class IntentModelError extends IntentError {}
