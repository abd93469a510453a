import { CodedError } from '../../lib/errors/CodedError.js';

export class RigResolutionError extends CodedError {
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super('RIG_RESOLUTION_UNSUPPORTED', `unsupported rig resolution ${width}x${height}: need 16:9, even sizes, height 180..1080`);
  }
}

export class RigLogoError extends CodedError {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super('RIG_LOGO_UNREADABLE', `cannot decode logo ${file}: ${(cause as Error)?.message ?? String(cause)}`);
    this.cause = cause;
  }
}
