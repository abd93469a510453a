import { CodedError } from '../../lib/errors/CodedError.js';

/** Decision engine errors; `code` is stable. The engine itself never rejects: it falls back. */
export class DecisionError extends CodedError {}

/** A ranker model could not be loaded or did not answer. */
export class RankerModelError extends DecisionError {}

/** A logged-decisions file for training is malformed. */
export class RankerLogError extends DecisionError {}
