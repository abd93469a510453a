/**
 * A show's plan: ordered segments, each with scripted lines per language, talking points, an
 * optional poll and data slots (`{{feed.path}}`) filled from JSON feeds. `validateRundown`
 * makes one of these out of untrusted JSON; everything downstream trusts its shape and bounds.
 */
export interface Rundown {
  title?: string;
  /** Language codes (`en`, `es`) that have lines, in the order they first appear. */
  languages: string[];
  /** Data feeds the slots name: `{{weather.today}}` reads `today` from feed `weather`. */
  data: Record<string, DataFeedSpec>;
  segments: RundownSegment[];
  /** Silence between two lines, and between two segments: the natural pauses of a read. */
  linePauseMs: number;
  segmentPauseMs: number;
}

export interface DataFeedSpec {
  url: string;
  /** How often the server polls it while a show's rundown uses it. */
  refreshMs: number;
}

export interface RundownSegment {
  /** A slug, unique in the rundown: what `jump` and poll options name. */
  id: string;
  title: string;
  talkingPoints: string[];
  /** Language code → the lines said in that language, in order. */
  lines: Record<string, RundownLine[]>;
  poll?: RundownPoll;
}

export interface RundownLine {
  /** Spoken text; may hold data slots. */
  text: string;
  /** When the presenter says `word`, chosen viewers see the CTA (an overlay catalog id). */
  offer?: { word: string; cta: string };
  /** The data slots in `text` (empty: a static line, rendered ahead of time by show prep). */
  slots: string[];
}

export interface RundownPoll {
  question: string;
  options: Array<{
    label: string;
    /** The segment to go on with when this option wins. */ next?: string;
  }>;
  durationMs: number;
}

/** Bounds on a rundown, so one request cannot make the server hold or render without end. */
export const RUNDOWN_LIMITS = {
  segments: 50,
  linesPerSegment: 20,
  linesPerLanguage: 200,
  languages: 4,
  lineChars: 500,
  titleChars: 120,
  talkingPoints: 10,
  talkingPointChars: 200,
  feeds: 8,
  feedUrlChars: 500,
  slotsPerLine: 4,
  minRefreshMs: 1_000,
  maxRefreshMs: 3_600_000,
  maxPauseMs: 10_000,
  pollQuestionChars: 120,
  pollLabelChars: 60,
  pollOptions: 6,
  minPollMs: 5_000,
  maxPollMs: 600_000,
} as const;

export const DEFAULT_LINE_PAUSE_MS = 600;
export const DEFAULT_SEGMENT_PAUSE_MS = 1_500;
export const DEFAULT_REFRESH_MS = 30_000;

/** The language part of a persona's tag (`es-ES` → `es`). */
export function languageOf(tag: string): string {
  return tag.slice(0, 2).toLowerCase();
}
