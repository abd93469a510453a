export class RigResolutionError extends Error {
  readonly code = 'RIG_RESOLUTION_UNSUPPORTED';

  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    super(`unsupported rig resolution ${width}x${height}: need 16:9, even sizes, height 180..1080`);
    this.name = 'RigResolutionError';
  }
}

export class RigLogoError extends Error {
  readonly code = 'RIG_LOGO_UNREADABLE';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot decode logo ${file}: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'RigLogoError';
  }
}
