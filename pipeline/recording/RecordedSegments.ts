/** A segment on disk: where it sits on the show clock and in the recording's own time. */
export interface RecordedSegment {
  name: string;
  /** Its init segment (EXT-X-MAP); a change of generation is a discontinuity. */
  initName: string;
  generation: number;
  startStreamTimeMs: number;
  durationMs: number;
  /** Where it starts in the recording: the sum of the segments before it. */
  atMs: number;
  bytes: number;
}

/**
 * The committed segments in order, and the mapping from the show clock to recording time.
 * The two differ after an encoder restart: the stream time lost between the processes is
 * not in the recording, so times after it move back by that much.
 */
export class RecordedSegments {
  private readonly list: RecordedSegment[] = [];
  private durationMs_ = 0;
  private bytes_ = 0;

  add(segment: Omit<RecordedSegment, 'atMs'>): RecordedSegment {
    const placed = { ...segment, atMs: this.durationMs_ };
    this.list.push(placed);
    this.durationMs_ += segment.durationMs;
    this.bytes_ += segment.bytes;
    return placed;
  }

  get all(): readonly RecordedSegment[] {
    return this.list;
  }

  get count(): number {
    return this.list.length;
  }

  get durationMs(): number {
    return this.durationMs_;
  }

  get bytes(): number {
    return this.bytes_;
  }

  get startStreamTimeMs(): number | undefined {
    return this.list[0]?.startStreamTimeMs;
  }

  get endStreamTimeMs(): number | undefined {
    const last = this.list.at(-1);
    return last && last.startStreamTimeMs + last.durationMs;
  }

  /**
   * Recording time of a show-clock instant, clamped to the recording: before its start is 0,
   * inside a gap (between encoder processes) is where the recording resumes, after it is its end.
   */
  toRecordingMs(streamTimeMs: number): number {
    let low = 0;
    let high = this.list.length - 1;
    let found: RecordedSegment | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = this.list[mid]!;
      if (segment.startStreamTimeMs > streamTimeMs) {
        high = mid - 1;
      } else {
        found = segment;
        low = mid + 1;
      }
    }
    if (!found) return 0;
    return found.atMs + Math.min(streamTimeMs - found.startStreamTimeMs, found.durationMs);
  }
}
