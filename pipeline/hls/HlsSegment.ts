import type { HlsPart } from './HlsPart.js';

/**
 * A media segment: consecutive parts of one encoder generation, starting at a keyframe.
 * It is open (listed as parts only) until the part after its last one arrives.
 */
export class HlsSegment {
  readonly parts: HlsPart[] = [];
  private complete_ = false;
  private durationMs_ = 0;
  private bytes: Buffer | undefined;

  constructor(
    readonly msn: number,
    readonly generation: number,
    /** The discontinuity sequence number: one more for each new generation after the first. */
    readonly cc: number,
    /** It follows a segment of another generation: EXT-X-DISCONTINUITY before it. */
    readonly discontinuity: boolean,
    /** Wall-clock time of its first frame (EXT-X-PROGRAM-DATE-TIME). */
    readonly programDateTimeMs: number,
  ) {}

  get complete(): boolean {
    return this.complete_;
  }

  get durationMs(): number {
    return this.durationMs_;
  }

  add(part: HlsPart): void {
    this.parts.push(part);
    this.durationMs_ += part.durationMs;
  }

  close(): void {
    this.complete_ = true;
  }

  /** The whole segment for players that load segments; built once, on first request. */
  data(): Buffer {
    this.bytes ??= Buffer.concat(this.parts.map((part) => part.data));
    return this.bytes;
  }
}
