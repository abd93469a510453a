/** Intent model errors; `code` is stable and reaches API clients. */
export class IntentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidIntentTextError extends IntentError {}

export class IntentModelError extends IntentError {}
