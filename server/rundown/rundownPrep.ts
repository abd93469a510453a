import type { Persona } from '../../pipeline/persona/index.js';
import type { Rundown } from '../../pipeline/rundown/Rundown.js';
import { feedOf, fillSlots } from '../../pipeline/rundown/slotTemplate.js';
import type { AssetStore } from '../../pipeline/store/AssetStore.js';
import { voiceAssetKey } from '../../pipeline/store/assetKeys.js';
import { RUNDOWN_LIMITS } from '../../pipeline/rundown/Rundown.js';
import {
  MAX_PHRASES_PER_JOB,
  type Resolution,
  type ShowPrepPayload,
} from '../../pipeline/jobs/payloads.js';
import { validateSpeechText } from '../../pipeline/tts/text.js';

/** One line of the rundown as show prep renders it: its text now (data slots filled), and its voice. */
export interface PreppedLine {
  segment: number;
  /** Its index among the segment's lines in its language. */
  line: number;
  language: string;
  persona: Persona;
  /** Undefined for a data line whose feeds have no value yet: it can only be rendered live. */
  text: string | undefined;
  /** Its text depends on data: rendered ahead with today's values, live again when they change. */
  data: boolean;
}

export interface SegmentReadiness {
  id: string;
  title: string;
  /** Lines of the segment in every language of the rundown. */
  lines: number;
  /** Of those, the ones whose speech is in the voice cache now. */
  cached: number;
  /** Clips show prep renders of the segment's static lines (`clipLines`), and how many are in the store now. */
  clips: number;
  rendered: number;
  /** Every line's voice is cached and every clip rendered. */
  ready: boolean;
}

export interface RundownReadiness {
  ready: boolean;
  segments: SegmentReadiness[];
}

/**
 * Every line of the rundown in every language it has, voiced by the persona that speaks that
 * language in the show. Data lines are filled from the feeds' cached values, so a line whose
 * data has not changed by the time it airs is a cache hit too.
 */
export async function preppedLines(
  rundown: Rundown,
  voiceFor: (language: string) => Persona,
  read: (feed: string) => Promise<unknown>,
): Promise<PreppedLine[]> {
  const feeds = [
    ...new Set(
      rundown.segments.flatMap((s) =>
        Object.values(s.lines).flatMap((lines) => lines.flatMap((l) => l.slots.map(feedOf))),
      ),
    ),
  ];
  const values = await Promise.all(feeds.map((feed) => read(feed).catch(() => undefined)));
  const data: Record<string, unknown> = {};
  feeds.forEach((feed, i) =>
    Object.defineProperty(data, feed, { value: values[i], enumerable: true }),
  );
  return rundown.segments.flatMap((segment, index) =>
    Object.entries(segment.lines).flatMap(([language, lines]) =>
      lines.map((line, lineIndex) => ({
        segment: index,
        line: lineIndex,
        language,
        persona: voiceFor(language),
        text: line.slots.length ? speakable(fillSlots(line.text, data)) : line.text,
        data: line.slots.length > 0,
      })),
    ),
  );
}

/**
 * Clips show prep renders at most. A clip is a whole render job (frames, an MP4 preview and
 * the spliceable tracks); the show itself splices the voice cache, so clips are for preview
 * and review, and the first lines of the show come first. With the rundown's bounds (4
 * languages, each one persona's rig and at most 200 lines in voice-cache jobs of 50) a prep
 * stays within the flow's MAX_SHOW_PREP_CHILDREN jobs (MOST_PREP_JOBS).
 */
export const MAX_PREP_CLIPS = 24;

/** The most jobs a rundown's prep can be (test/unit/rundown.test.ts holds it under MAX_SHOW_PREP_CHILDREN). */
export const MOST_PREP_JOBS =
  RUNDOWN_LIMITS.languages *
    (1 + Math.ceil(RUNDOWN_LIMITS.linesPerLanguage / MAX_PHRASES_PER_JOB)) +
  MAX_PREP_CLIPS;

/**
 * The lines show prep renders clips of: static lines (no data slots: a data line's words are
 * known only when it airs), one per distinct text and voice, in the order the show reaches
 * them (segment by segment, line by line, the languages taking turns), at most `max`.
 */
export function clipLines(lines: readonly PreppedLine[], max = MAX_PREP_CLIPS): PreppedLine[] {
  const order = [...lines]
    .filter((line) => !line.data && line.text !== undefined)
    .sort((a, b) => a.segment - b.segment || a.line - b.line);
  const seen = new Set<string>();
  const chosen: PreppedLine[] = [];
  for (const line of order) {
    const key = `${line.persona.id}\n${line.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(line);
    if (chosen.length === max) break;
  }
  return chosen;
}

/** A clip's name in the asset store: where its line is in the rundown (a slug, never a path). */
export const clipName = (line: PreppedLine): string =>
  `rundown-s${line.segment + 1}-${line.language}-${line.line + 1}`;

/**
 * What a show prep of these lines queues: each voice's rig, every line's voice phrase, and
 * clips of the first static lines (`clipLines`) that are not rendered yet. A clip renders from
 * its line's voice phrase (`cachePhrase`: the cached one when the voice-cache job has made it).
 */
export async function prepJobs(
  lines: readonly PreppedLine[],
  store: AssetStore,
  clipKey: (line: PreppedLine & { text: string }) => string,
  resolution: Resolution,
): Promise<Omit<ShowPrepPayload, 'showId'>> {
  const spoken = lines.filter(
    (line): line is PreppedLine & { text: string } => line.text !== undefined,
  );
  const clips: ShowPrepPayload['clips'] = [];
  for (const line of clipLines(lines) as Array<PreppedLine & { text: string }>) {
    if (await store.get(clipKey(line)).catch(() => undefined)) continue;
    clips.push({ persona: line.persona.id, text: line.text, name: clipName(line), resolution });
  }
  return {
    personas: [...new Set(lines.map((line) => line.persona.id))],
    phrases: spoken.map((line) => ({ persona: line.persona.id, text: line.text })),
    clips,
  };
}

/**
 * Per segment, how many of its lines the voice cache holds now and, when `clipKey` names
 * a clip's asset, how many of its clips (`clipLines`) are rendered.
 */
export async function readiness(
  rundown: Rundown,
  lines: PreppedLine[],
  store: AssetStore,
  clipKey?: (line: PreppedLine & { text: string }) => string,
): Promise<RundownReadiness> {
  const stored = (key: string) =>
    store.get(key).then(
      (asset) => asset !== undefined,
      () => false,
    );
  const cached = await Promise.all(
    lines.map((line) => line.text !== undefined && stored(voiceAssetKey(line.text, line.persona))),
  );
  const clips = clipKey ? clipLines(lines) : [];
  const rendered = await Promise.all(
    clips.map((line) => stored(clipKey!(line as PreppedLine & { text: string }))),
  );
  const segments = rundown.segments.map((segment, index) => {
    const mine = lines
      .map((line, i) => [line, cached[i]] as const)
      .filter(([line]) => line.segment === index);
    const hits = mine.filter(([, hit]) => hit).length;
    const clipsHere = clips
      .map((line, i) => [line, rendered[i]] as const)
      .filter(([line]) => line.segment === index);
    const renderedHere = clipsHere.filter(([, done]) => done).length;
    return {
      id: segment.id,
      title: segment.title,
      lines: mine.length,
      cached: hits,
      clips: clipsHere.length,
      rendered: renderedHere,
      ready: hits === mine.length && renderedHere === clipsHere.length,
    };
  });
  return { ready: segments.every((s) => s.ready), segments };
}

function speakable(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return validateSpeechText(text);
  } catch {
    return undefined;
  }
}
