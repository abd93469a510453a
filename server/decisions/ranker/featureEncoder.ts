import type { DecisionContext, OverlayTemplate, SessionFeatures } from '../types.js';
import {
  FEATURE_DIMENSION,
  featureIndex,
  oneHotIndex,
  PLACEMENT_FEATURES,
  RANKER_LANGUAGES,
  rankerTrigger,
  WATCH_BUCKET_LIMITS_MS,
} from './featureLayout.js';
import { regionBucket } from './regionBuckets.js';

const at = featureIndex;
const S = {
  consent: at('consent'),
  engagement: at('engagement'),
  topicShow: at('topic_matches_show'),
  topicSeen: at('topics_seen_fraction'),
  engagementTopic: at('engagement_x_topic_match'),
  ctasShown: at('ctas_shown_log'),
  ctasClicked: at('ctas_clicked_log'),
  viewerCtr: at('viewer_ctr'),
  templateShown: at('template_shown_log'),
  templateClicked: at('template_clicked'),
  pollAnswered: at('poll_answered'),
  sponsored: at('template_sponsored'),
  requiresConsent: at('template_requires_consent'),
  hasImage: at('template_has_image'),
  targetsLanguage: at('template_targets_language'),
  muted: at('muted'),
  paused: at('paused'),
};
/** What encodeCandidate writes: cleared between the rows that share the viewer half. */
const CANDIDATE_SLOTS = [
  S.topicShow,
  S.topicSeen,
  S.engagementTopic,
  S.templateShown,
  S.templateClicked,
  S.sponsored,
  S.requiresConsent,
  S.hasImage,
  S.targetsLanguage,
  ...PLACEMENT_FEATURES,
];

const WATCH = ['lt_1m', 'lt_5m', 'lt_15m', 'ge_15m'].map((b) => at(`watch=${b}`));
const ONE_HOT = {
  device: oneHotIndex('device'),
  language: oneHotIndex('language'),
  referrer: oneHotIndex('referrer'),
  region: oneHotIndex('region'),
  trigger: oneHotIndex('trigger'),
  placement: oneHotIndex('placement'),
};

/** The index of `value` in a one-hot group; an unknown value throws (the engine falls back). */
function slot(group: keyof typeof ONE_HOT, value: string): number {
  const index = ONE_HOT[group].get(value);
  if (index === undefined) throw new Error(`no ranker feature ${group}=${value}`);
  return index;
}

/** log1p(count) scaled so that 20 maps to 1. */
const countFeature = (count: number) =>
  Math.min(1, Math.log1p(Math.max(0, count)) / Math.log1p(20));
const unit = (value: number) => (value > 0 ? (value < 1 ? value : 1) : 0);

function languageOf(language: string): string {
  return (RANKER_LANGUAGES as readonly string[]).includes(language) ? language : 'other';
}

function watchBucket(watchMs: number): number {
  return WATCH_BUCKET_LIMITS_MS.findIndex((limit) => watchMs < limit);
}

/** The viewer half of a row: the same for every candidate of one decision. */
function encodeViewer(context: DecisionContext, session: SessionFeatures, row: Float32Array) {
  const { join } = context;
  row[slot('device', join.device)] = 1;
  row[slot('language', languageOf(join.language))] = 1;
  row[slot('referrer', join.referrer)] = 1;
  row[slot('region', regionBucket(join.region))] = 1;
  row[WATCH[watchBucket(session.watchMs)]!] = 1;
  row[slot('trigger', rankerTrigger(context.trigger))] = 1;
  row[S.consent] = join.consent ? 1 : 0;
  row[S.engagement] = unit(session.engagement);
  row[S.ctasShown] = countFeature(session.ctasShown);
  row[S.ctasClicked] = countFeature(session.ctasClicked);
  row[S.viewerCtr] = unit(session.ctasClicked / (session.ctasShown + 1));
  row[S.pollAnswered] = session.lastPollAnswer ? 1 : 0;
  row[S.muted] = session.muted ? 1 : 0;
  row[S.paused] = session.paused ? 1 : 0;
}

function topicsSeenFraction(template: OverlayTemplate, seen: readonly string[]): number {
  if (template.topics.length === 0) return 0;
  let matches = 0;
  for (const topic of template.topics) if (seen.includes(topic)) matches++;
  return matches / template.topics.length;
}

function encodeCandidate(
  context: DecisionContext,
  session: SessionFeatures,
  template: OverlayTemplate,
  row: Float32Array,
) {
  const topicShow =
    context.show.topic !== undefined && template.topics.includes(context.show.topic);
  row[S.topicShow] = topicShow ? 1 : 0;
  row[S.topicSeen] = topicsSeenFraction(template, session.topicsSeen);
  row[S.engagementTopic] = topicShow ? unit(session.engagement) : 0;
  row[S.templateShown] = countFeature(session.shownByTemplate[template.id] ?? 0);
  row[S.templateClicked] = (session.clickedByTemplate[template.id] ?? 0) > 0 ? 1 : 0;
  row[S.sponsored] = template.sponsor ? 1 : 0;
  row[S.requiresConsent] = template.requiresConsent ? 1 : 0;
  row[S.hasImage] = template.image ? 1 : 0;
  row[S.targetsLanguage] = template.languages?.includes(context.join.language) ? 1 : 0;
  row[slot('placement', template.placement)] = 1;
}

/**
 * Writes one row per candidate into `out` (zeroed here) starting at row `firstRow`.
 * A feature name the layout lacks (an unknown device, say) throws: the engine falls back.
 */
export function encodeRows(
  context: DecisionContext,
  session: SessionFeatures,
  candidates: readonly OverlayTemplate[],
  out: Float32Array,
  firstRow = 0,
): void {
  const start = firstRow * FEATURE_DIMENSION;
  const viewer = out.subarray(start, start + FEATURE_DIMENSION);
  viewer.fill(0);
  encodeViewer(context, session, viewer);
  candidates.forEach((template, i) => {
    const offset = start + i * FEATURE_DIMENSION;
    if (i > 0) out.copyWithin(offset, start, start + FEATURE_DIMENSION);
    const row = out.subarray(offset, offset + FEATURE_DIMENSION);
    if (i > 0) for (const index of CANDIDATE_SLOTS) row[index] = 0;
    encodeCandidate(context, session, template, row);
  });
}

export function encodeCandidates(
  context: DecisionContext,
  session: SessionFeatures,
  candidates: readonly OverlayTemplate[],
): Float32Array {
  const out = new Float32Array(candidates.length * FEATURE_DIMENSION);
  encodeRows(context, session, candidates, out);
  return out;
}
