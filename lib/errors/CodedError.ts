/**
 * A domain failure with a stable machine-readable code and no transport in it: the HTTP
 * edge maps codes to statuses once (`server/http/errorStatus.ts`), sockets send the code
 * as it is. Throw a subclass per domain when callers need `instanceof`; the code is the
 * contract either way.
 */
export class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Seconds after which a retry may succeed (rate limits, full queues). */
    readonly retryAfterS?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
