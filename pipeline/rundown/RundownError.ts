import { CodedError } from '../../lib/errors/CodedError.js';

/** A rundown or autopilot failure; the code is the contract (server/http/errorStatus.ts). */
export class RundownError extends CodedError {}
