import type { RecordedSegments } from './RecordedSegments.js';
import type { CueChapter, RecordingChapter, TimelineEntry, TimelineEvent } from './RecordingSidecar.js';

/** What a cue tells the timeline: the fields of a cue status it reads. */
export interface SpokenCue {
  id: string;
  kind: 'say' | 'prompt';
  text: string;
  prompt?: string;
  streamTimeMs?: number;
  endStreamTimeMs?: number;
}

/** Bounds the sidecar of a very long, very busy show; chapters are one per cue and stay. */
const MAX_TIMELINE_ENTRIES = 20_000;
/** Tallies come every 250 ms while votes flow; one a second is plenty to replay a poll. */
const TALLY_EVERY_MS = 1_000;

type OnClock<T> = T & { streamTimeMs: number };

/**
 * Chapters and the overlay timeline as they happen, on the show clock. Recording times are
 * worked out when the sidecar is written, from the segments actually on disk, so a moment
 * stays at the right picture even across an encoder restart.
 */
export class RecordingTimeline {
  private readonly chapters = new Map<string, OnClock<Omit<CueChapter, 'atMs' | 'endMs'>>>();
  private readonly entries: OnClock<TimelineEvent>[] = [];
  private readonly lastTallyMs = new Map<string, number>();
  private dropped_ = 0;

  get dropped(): number {
    return this.dropped_;
  }

  /** A cue's status: once it has a stream time it is a chapter; later statuses fill in its end and full text. */
  cue(cue: SpokenCue): void {
    if (cue.streamTimeMs === undefined) return;
    this.chapters.set(cue.id, {
      source: 'cue',
      cueId: cue.id,
      kind: cue.kind,
      text: cue.text,
      ...(cue.prompt !== undefined && { prompt: cue.prompt }),
      streamTimeMs: cue.streamTimeMs,
      ...(cue.endStreamTimeMs !== undefined && { endStreamTimeMs: cue.endStreamTimeMs }),
    });
  }

  mark(event: TimelineEvent, streamTimeMs: number): void {
    if (event.type === 'poll-tally') {
      const last = this.lastTallyMs.get(event.pollId);
      if (last !== undefined && streamTimeMs - last < TALLY_EVERY_MS) return;
      this.lastTallyMs.set(event.pollId, streamTimeMs);
    }
    if (this.entries.length >= MAX_TIMELINE_ENTRIES) {
      this.dropped_++;
      return;
    }
    this.entries.push({ ...event, streamTimeMs });
  }

  /** Places everything on the recording's own time (whole ms); what happened before it started sits at 0. */
  resolve(segments: RecordedSegments): { chapters: RecordingChapter[]; timeline: TimelineEntry[] } {
    const at = (streamTimeMs: number) => Math.round(segments.toRecordingMs(streamTimeMs));
    const chapters = [...this.chapters.values()]
      .sort((a, b) => a.streamTimeMs - b.streamTimeMs)
      .map(({ streamTimeMs, endStreamTimeMs, ...chapter }) => ({
        ...chapter,
        streamTimeMs: Math.round(streamTimeMs),
        atMs: at(streamTimeMs),
        ...(endStreamTimeMs !== undefined && { endStreamTimeMs: Math.round(endStreamTimeMs), endMs: at(endStreamTimeMs) }),
      }));
    const timeline = this.entries.map((entry) => ({ ...entry, streamTimeMs: Math.round(entry.streamTimeMs), atMs: at(entry.streamTimeMs) }));
    return { chapters, timeline };
  }
}
