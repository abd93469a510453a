import type { Persona } from '../../pipeline/persona/index.js';
import type { Rundown } from '../../pipeline/rundown/Rundown.js';
import { feedOf, fillSlots } from '../../pipeline/rundown/slotTemplate.js';
import type { AssetStore } from '../../pipeline/store/AssetStore.js';
import { voiceAssetKey } from '../../pipeline/store/assetKeys.js';
import { validateSpeechText } from '../../pipeline/tts/text.js';

/** One line of the rundown as show prep renders it: its text now (data slots filled), and its voice. */
export interface PreppedLine {
  segment: number;
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
      lines.map((line) => ({
        segment: index,
        language,
        persona: voiceFor(language),
        text: line.slots.length ? speakable(fillSlots(line.text, data)) : line.text,
        data: line.slots.length > 0,
      })),
    ),
  );
}

/** Per segment, how many of its lines the voice cache holds now. */
export async function readiness(
  rundown: Rundown,
  lines: PreppedLine[],
  store: AssetStore,
): Promise<RundownReadiness> {
  const cached = await Promise.all(
    lines.map(
      async (line) =>
        line.text !== undefined &&
        (await store.get(voiceAssetKey(line.text, line.persona)).catch(() => undefined)) !==
          undefined,
    ),
  );
  const segments = rundown.segments.map((segment, index) => {
    const mine = lines
      .map((line, i) => [line, cached[i]] as const)
      .filter(([line]) => line.segment === index);
    const hits = mine.filter(([, hit]) => hit).length;
    return {
      id: segment.id,
      title: segment.title,
      lines: mine.length,
      cached: hits,
      ready: hits === mine.length,
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
