/** Decision engine errors; `code` is stable. The engine itself never rejects: it falls back. */
export class DecisionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A ranker model could not be loaded or did not answer. */
export class RankerModelError extends DecisionError {}

/** A logged-decisions file for training is malformed. */
export class RankerLogError extends DecisionError {}
