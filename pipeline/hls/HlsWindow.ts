import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import type { HlsPart } from './HlsPart.js';
import { HlsSegment } from './HlsSegment.js';

export interface HlsWindowOptions {
  /** Wall clock of stream time 0: a segment's program date time is this plus its stream time. */
  streamEpochMs: number;
  /** A segment closes at the first independent part once it holds this much. */
  segmentSplitMs: number;
  /** How much complete media the playlist lists. */
  listMs: number;
  /**
   * How much complete media stays in memory. More than is listed, so a player (or a CDN's
   * cached playlist) that saw a segment a few seconds ago can still load it.
   */
  retainMs: number;
}

/**
 * The sliding window of one show's LL-HLS media: the parts and segments of the last few
 * seconds and the init segments they need. Whatever the show's length, it holds at most
 * `retainMs` of complete segments plus the open one.
 */
export class HlsWindow {
  private readonly segments_: HlsSegment[] = [];
  private readonly inits = new Map<number, EncodedInit>();
  private generation: number | undefined;
  private nextMsn = 0;
  private nextSeq_ = 0;
  private cc = 0;
  /** A new generation began after media was out: its first segment is a discontinuity. */
  private discontinuityPending = false;

  constructor(private readonly options: HlsWindowOptions) {}

  /** The number the next part will have: the preload hint's. */
  get nextSeq(): number {
    return this.nextSeq_;
  }

  get lastPart(): HlsPart | undefined {
    return this.segments_.at(-1)?.parts.at(-1);
  }

  /** The init segment of the newest generation. */
  get currentInit(): EncodedInit | undefined {
    return this.generation === undefined ? undefined : this.inits.get(this.generation);
  }

  /** A new generation: its timestamps restart, so the open segment ends here. */
  addInit(init: EncodedInit): void {
    this.open()?.close();
    this.inits.set(init.generation, init);
    this.generation = init.generation;
    if (this.segments_.length > 0) this.discontinuityPending = true;
    this.prune();
  }

  /**
   * Adds a fragment as the next part, opening a new segment at a keyframe once the open one
   * is long enough. Fragments before a generation's first keyframe (a sink attached mid-GOP)
   * are dropped: no player could start decoding there. Returns the part, if one was added.
   */
  addFragment(fragment: EncodedFragment): HlsPart | undefined {
    if (fragment.generation !== this.generation) return undefined;
    let segment = this.open();
    if (!segment && !fragment.independent) return undefined;
    if (!segment || (fragment.independent && segment.durationMs >= this.options.segmentSplitMs)) {
      segment?.close();
      const discontinuity = this.discontinuityPending;
      this.discontinuityPending = false;
      if (discontinuity) this.cc++;
      segment = new HlsSegment(this.nextMsn++, fragment.generation, this.cc, discontinuity, this.options.streamEpochMs + fragment.startStreamTimeMs);
      this.segments_.push(segment);
    }
    const part: HlsPart = {
      seq: this.nextSeq_++,
      msn: segment.msn,
      index: segment.parts.length,
      data: fragment.data,
      durationMs: fragment.durationMs,
      independent: fragment.independent,
    };
    segment.add(part);
    this.prune();
    return part;
  }

  /** The segments a playlist lists now: the newest `listMs` of complete ones and the open one. */
  listed(): HlsSegment[] {
    let first = this.segments_.length;
    let listedMs = 0;
    while (first > 0 && listedMs < this.options.listMs) {
      const segment = this.segments_[--first]!;
      if (segment.complete) listedMs += segment.durationMs;
    }
    return this.segments_.slice(first);
  }

  init(generation: number): EncodedInit | undefined {
    return this.inits.get(generation);
  }

  /** A complete segment still in memory. */
  segment(msn: number): HlsSegment | undefined {
    const segment = this.segments_.find((s) => s.msn === msn);
    return segment?.complete ? segment : undefined;
  }

  part(seq: number): HlsPart | undefined {
    for (let i = this.segments_.length - 1; i >= 0; i--) {
      const parts = this.segments_[i]!.parts;
      if (parts.length > 0 && parts[0]!.seq <= seq) return parts[seq - parts[0]!.seq];
    }
    return undefined;
  }

  /**
   * Whether a playlist now holds part `part` of segment `msn`, or something later (RFC 8216bis
   * 6.2.5.2). Without a part it asks for the whole segment: one that is complete.
   */
  reached(msn: number, part?: number): boolean {
    const last = this.lastPart;
    if (!last || last.msn < msn) return false;
    if (last.msn > msn) return true;
    return part === undefined ? this.segment(msn) !== undefined : last.index >= part;
  }

  /** A request this far ahead of the newest part gets 400 at once instead of a wait. */
  tooFarAhead(msn: number, part: number | undefined, advancePartLimit: number): boolean {
    const last = this.lastPart;
    const lastMsn = last?.msn ?? -1;
    if (msn > lastMsn + 2) return true;
    if (part === undefined) return false;
    return msn === lastMsn ? part - last!.index > advancePartLimit : part > advancePartLimit;
  }

  private open(): HlsSegment | undefined {
    const last = this.segments_.at(-1);
    return last && !last.complete ? last : undefined;
  }

  private prune(): void {
    let retainedMs = this.segments_.reduce((sum, s) => sum + (s.complete ? s.durationMs : 0), 0);
    while (this.segments_[0]?.complete && retainedMs - this.segments_[0].durationMs >= this.options.retainMs) {
      retainedMs -= this.segments_.shift()!.durationMs;
    }
    const used = new Set(this.segments_.map((s) => s.generation));
    for (const generation of this.inits.keys()) if (generation !== this.generation && !used.has(generation)) this.inits.delete(generation);
  }
}
