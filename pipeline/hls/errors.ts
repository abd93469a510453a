import { CodedError } from '../../lib/errors/CodedError.js';

/** LL-HLS output errors; `code` is stable and reaches players as the HTTP error body. */
export class HlsError extends CodedError {
  constructor(code: string, message: string, retryAfterS?: number) {
    super(code, message, retryAfterS);
    this.name = 'HlsError';
  }
}
