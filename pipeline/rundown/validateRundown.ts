import { validateOffer } from '../cues/offerWord.js';
import { validateSpeechText } from '../tts/text.js';
import {
  DEFAULT_LINE_PAUSE_MS,
  DEFAULT_REFRESH_MS,
  DEFAULT_SEGMENT_PAUSE_MS,
  RUNDOWN_LIMITS as LIMITS,
  type DataFeedSpec,
  type Rundown,
  type RundownLine,
  type RundownPoll,
  type RundownSegment,
} from './Rundown.js';
import { RundownError } from './RundownError.js';
import { feedOf, parseSlots, withoutSlots } from './slotTemplate.js';

export interface RundownChecks {
  /** Whether an overlay catalog id exists (a line's `offer.cta`). */
  ctaExists(id: string): boolean;
  /** Whether the server may poll this URL (DATA_FEED_HOSTS); the URL is already an http(s) URL. */
  feedUrlAllowed(url: URL): boolean;
}

const LANGUAGE = /^[a-z]{2}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;
const NOT_PLAIN = /[\p{Cc}\p{Cf}]/u;

/**
 * Untrusted JSON → a Rundown, or a RundownError with a stable code: `RUNDOWN_INVALID` (shape),
 * `RUNDOWN_TOO_LARGE` (a bound), `RUNDOWN_UNKNOWN_CTA`, `RUNDOWN_DATA_URL_NOT_ALLOWED`,
 * `RUNDOWN_TEMPLATE_INVALID` (a slot), or the cue path's `INVALID_OFFER`/`OFFER_WORD_NOT_IN_TEXT`.
 */
export function validateRundown(input: unknown, checks: RundownChecks): Rundown {
  const o = object(input, 'the rundown', [
    'title',
    'data',
    'segments',
    'linePauseMs',
    'segmentPauseMs',
  ]);
  const data = feeds(o.data, checks);
  if (!Array.isArray(o.segments) || o.segments.length === 0)
    throw invalid('segments must be a non-empty list');
  if (o.segments.length > LIMITS.segments)
    throw tooLarge(`a rundown has at most ${LIMITS.segments} segments`);
  const segments = o.segments.map((s, i) => segment(s, i, data, checks));
  const ids = new Set<string>();
  for (const { id } of segments) {
    if (ids.has(id)) throw invalid(`segment id "${id}" is used twice`);
    ids.add(id);
  }
  const languages: string[] = [];
  for (const s of segments)
    for (const language of Object.keys(s.lines))
      if (!languages.includes(language)) languages.push(language);
  if (languages.length > LIMITS.languages)
    throw tooLarge(`a rundown has lines in at most ${LIMITS.languages} languages`);
  for (const language of languages) {
    const count = segments.reduce((n, s) => n + (s.lines[language]?.length ?? 0), 0);
    if (count > LIMITS.linesPerLanguage)
      throw tooLarge(`a rundown has at most ${LIMITS.linesPerLanguage} lines per language`);
  }
  for (const s of segments) {
    for (const option of s.poll?.options ?? []) {
      if (option.next !== undefined && !ids.has(option.next))
        throw invalid(
          `poll option "${option.label}" goes on with segment "${option.next}", which the rundown does not have`,
        );
    }
  }
  return {
    ...(o.title !== undefined && { title: plain(o.title, 'title', LIMITS.titleChars) }),
    languages,
    data,
    segments,
    linePauseMs: pause(o.linePauseMs, 'linePauseMs', DEFAULT_LINE_PAUSE_MS),
    segmentPauseMs: pause(o.segmentPauseMs, 'segmentPauseMs', DEFAULT_SEGMENT_PAUSE_MS),
  };
}

/** Whether `value` is an http(s) URL the allow-list admits; refuses credentials in it. */
export function feedUrl(value: unknown, checks: Pick<RundownChecks, 'feedUrlAllowed'>): string {
  if (typeof value !== 'string' || value.length > LIMITS.feedUrlChars)
    throw invalid(`a data feed url is a string of at most ${LIMITS.feedUrlChars} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw notAllowed(`${JSON.stringify(value.slice(0, 80))} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw notAllowed('a data feed is an http:// or https:// URL');
  if (url.username || url.password) throw notAllowed('a data feed URL carries no credentials');
  if (!checks.feedUrlAllowed(url)) throw notAllowed(`${url.host} is not in DATA_FEED_HOSTS`);
  return url.href;
}

function feeds(value: unknown, checks: RundownChecks): Record<string, DataFeedSpec> {
  if (value === undefined) return {};
  const o = object(value, 'data', undefined);
  const names = Object.keys(o);
  if (names.length > LIMITS.feeds)
    throw tooLarge(`a rundown has at most ${LIMITS.feeds} data feeds`);
  const out: Record<string, DataFeedSpec> = {};
  for (const name of names) {
    if (!/^[A-Za-z0-9_-]{1,40}$/.test(name) || name === '__proto__')
      throw invalid(
        `data feed name ${JSON.stringify(name.slice(0, 40))} must be 1-40 of [A-Za-z0-9_-]`,
      );
    const feed = object(o[name], `data.${name}`, ['url', 'refreshMs']);
    const refreshMs = feed.refreshMs === undefined ? DEFAULT_REFRESH_MS : feed.refreshMs;
    if (
      !Number.isInteger(refreshMs) ||
      (refreshMs as number) < LIMITS.minRefreshMs ||
      (refreshMs as number) > LIMITS.maxRefreshMs
    ) {
      throw invalid(`data.${name}.refreshMs must be ${LIMITS.minRefreshMs}-${LIMITS.maxRefreshMs}`);
    }
    Object.defineProperty(out, name, {
      value: { url: feedUrl(feed.url, checks), refreshMs: refreshMs as number },
      enumerable: true,
    });
  }
  return out;
}

function segment(
  value: unknown,
  index: number,
  data: Record<string, DataFeedSpec>,
  checks: RundownChecks,
): RundownSegment {
  const where = `segments[${index}]`;
  const o = object(value, where, ['id', 'title', 'talkingPoints', 'lines', 'poll']);
  const id = o.id === undefined ? `s${index + 1}` : o.id;
  if (typeof id !== 'string' || !SLUG.test(id))
    throw invalid(`${where}.id must be a lowercase slug`);
  const points = o.talkingPoints ?? [];
  if (!Array.isArray(points)) throw invalid(`${where}.talkingPoints must be a list`);
  if (points.length > LIMITS.talkingPoints)
    throw tooLarge(`a segment has at most ${LIMITS.talkingPoints} talking points`);
  const lines: Record<string, RundownLine[]> = {};
  const byLanguage = o.lines === undefined ? {} : object(o.lines, `${where}.lines`, undefined);
  for (const language of Object.keys(byLanguage)) {
    if (!LANGUAGE.test(language))
      throw invalid(
        `${where}.lines: ${JSON.stringify(language.slice(0, 10))} is not a two-letter language code`,
      );
    const list = byLanguage[language];
    if (!Array.isArray(list)) throw invalid(`${where}.lines.${language} must be a list`);
    if (list.length > LIMITS.linesPerSegment)
      throw tooLarge(`a segment has at most ${LIMITS.linesPerSegment} lines per language`);
    Object.defineProperty(lines, language, {
      value: list.map((l, i) => line(l, `${where}.lines.${language}[${i}]`, data, checks)),
      enumerable: true,
    });
  }
  return {
    id,
    title: plain(o.title, `${where}.title`, LIMITS.titleChars),
    talkingPoints: points.map((p, i) =>
      plain(p, `${where}.talkingPoints[${i}]`, LIMITS.talkingPointChars),
    ),
    lines,
    ...(o.poll !== undefined && { poll: poll(o.poll, `${where}.poll`) }),
  };
}

function line(
  value: unknown,
  where: string,
  data: Record<string, DataFeedSpec>,
  checks: RundownChecks,
): RundownLine {
  const o = typeof value === 'string' ? { text: value } : object(value, where, ['text', 'offer']);
  if (typeof o.text === 'string' && [...o.text].length > LIMITS.lineChars)
    throw tooLarge(`${where}: a line has at most ${LIMITS.lineChars} characters`);
  let text: string;
  try {
    text = validateSpeechText(o.text);
  } catch (error) {
    throw invalid(`${where}: ${(error as Error).message}`);
  }
  const slots = parseSlots(text);
  if (slots.length > LIMITS.slotsPerLine)
    throw tooLarge(`${where}: a line has at most ${LIMITS.slotsPerLine} data slots`);
  const unknownFeed = slots.map(feedOf).find((feed) => !Object.hasOwn(data, feed));
  if (unknownFeed !== undefined)
    throw new RundownError(
      'RUNDOWN_TEMPLATE_INVALID',
      `${where}: no data feed named "${unknownFeed}"`,
    );
  if (o.offer === undefined) return { text, slots };
  const offer = object(o.offer, `${where}.offer`, ['word', 'cta']);
  const { word, overlay } = validateOffer(
    { word: offer.word, overlay: offer.cta },
    withoutSlots(text),
  );
  if (!checks.ctaExists(overlay))
    throw new RundownError(
      'RUNDOWN_UNKNOWN_CTA',
      `${where}: no CTA ${JSON.stringify(overlay)} in the overlay catalog`,
    );
  return { text, offer: { word, cta: overlay }, slots };
}

function poll(value: unknown, where: string): RundownPoll {
  const o = object(value, where, ['question', 'options', 'durationMs']);
  if (!Array.isArray(o.options) || o.options.length < 2 || o.options.length > LIMITS.pollOptions)
    throw invalid(`${where} has 2-${LIMITS.pollOptions} options`);
  const options = o.options.map((option, i) => {
    const item = object(option, `${where}.options[${i}]`, ['label', 'next']);
    const label = plain(item.label, `${where}.options[${i}].label`, LIMITS.pollLabelChars);
    if (item.next !== undefined && (typeof item.next !== 'string' || !SLUG.test(item.next)))
      throw invalid(`${where}.options[${i}].next must be a segment id`);
    return { label, ...(item.next !== undefined && { next: item.next as string }) };
  });
  if (new Set(options.map((option) => option.label.toLowerCase())).size !== options.length)
    throw invalid(`${where}: options must differ`);
  const { durationMs } = o;
  if (
    !Number.isInteger(durationMs) ||
    (durationMs as number) < LIMITS.minPollMs ||
    (durationMs as number) > LIMITS.maxPollMs
  ) {
    throw invalid(`${where}.durationMs must be ${LIMITS.minPollMs}-${LIMITS.maxPollMs}`);
  }
  return {
    question: plain(o.question, `${where}.question`, LIMITS.pollQuestionChars),
    options,
    durationMs: durationMs as number,
  };
}

function object(
  value: unknown,
  what: string,
  allowed: string[] | undefined,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw invalid(`${what} must be an object`);
  if (allowed) {
    const extra = Object.keys(value).find((key) => !allowed.includes(key));
    if (extra !== undefined)
      throw invalid(`${what} has an unknown field ${JSON.stringify(extra.slice(0, 40))}`);
  }
  return value as Record<string, unknown>;
}

function plain(value: unknown, what: string, max: number): string {
  if (typeof value === 'string' && [...value].length > max)
    throw tooLarge(`${what} has at most ${max} characters`);
  if (typeof value !== 'string' || value.trim() === '' || NOT_PLAIN.test(value))
    throw invalid(`${what} must be non-empty plain text`);
  return value.trim();
}

function pause(value: unknown, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > LIMITS.maxPauseMs)
    throw invalid(`${what} must be 0-${LIMITS.maxPauseMs}`);
  return value as number;
}

const invalid = (message: string) => new RundownError('RUNDOWN_INVALID', message);
const tooLarge = (message: string) => new RundownError('RUNDOWN_TOO_LARGE', message);
const notAllowed = (message: string) => new RundownError('RUNDOWN_DATA_URL_NOT_ALLOWED', message);
