/**
 * The JSON next to a recording's playlist: what was recorded and what happened on air,
 * each moment both on the show clock (`streamTimeMs`) and in the recording (`atMs`, its
 * playback time from 0). A stable file format: fields are added, never repurposed.
 */
export interface RecordingSidecar {
  version: 1;
  id: string;
  showId: string;
  title: string;
  state: RecordingState;
  /** Wall time (ISO 8601) of the first and last recorded picture. */
  startedAt: string | null;
  stoppedAt: string | null;
  startStreamTimeMs: number | null;
  stopStreamTimeMs: number | null;
  durationMs: number;
  /** Init segments, media segments and the playlist. */
  bytes: number;
  segments: number;
  playlist: string;
  /** The latest encoder generation's (a degraded show switches to half size). */
  video: { codecs: string; width: number; height: number } | null;
  chapters: RecordingChapter[];
  timeline: TimelineEntry[];
  /** Timeline entries left out past the cap (a very long show with a very busy poll). */
  timelineDropped: number;
}

/** `recording` while it runs; `failed` when the disk gave out; `interrupted` when its writer vanished (a crash). */
export type RecordingState = 'recording' | 'complete' | 'failed' | 'interrupted';

/** A moment of the show, on both clocks. */
export interface Placed {
  streamTimeMs: number;
  atMs: number;
}

/** A cue that went on air: it starts where its first sample is spoken. */
export interface CueChapter extends Placed {
  source: 'cue';
  cueId: string;
  kind: 'say' | 'prompt';
  text: string;
  prompt?: string;
  endStreamTimeMs?: number;
  endMs?: number;
}

/** Chapters by where they come from; rundown segments join as their own `source` with the rundown. */
export type RecordingChapter = CueChapter;

/** What viewers saw over the picture: host overlays, polls and word-timed offers. */
export type TimelineEvent =
  | { type: 'overlay'; placement: string; headline?: string; body?: string; action?: string; templateId?: string }
  | { type: 'overlay-cleared' }
  | { type: 'poll-opened'; pollId: string; question: string; options: string[] }
  | { type: 'poll-tally'; pollId: string; tallies: number[]; total: number }
  | { type: 'poll-closed'; pollId: string; tallies: number[]; total: number; winner?: { label: string; percent: number } }
  | { type: 'offer'; cueId: string; word: string; overlay: string };

export type TimelineEntry = TimelineEvent & Placed;
