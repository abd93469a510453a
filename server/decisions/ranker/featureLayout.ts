import { DEVICE_CLASSES, REFERRER_CLASSES, type DecisionTrigger } from '../types.js';
import { CTA_PLACEMENTS } from '../../overlays/validateOverlayTemplate.js';
import { REGION_BUCKETS } from './regionBuckets.js';

export const RANKER_LANGUAGES = ['en', 'es', 'other'] as const;
/** Upper bounds of the watch-time buckets: < 1 min, < 5 min, < 15 min, the rest. */
export const WATCH_BUCKET_LIMITS_MS = [60_000, 300_000, 900_000, Infinity] as const;
/** The trigger one-hots the committed rankers were trained with: append, never reorder. */
export const TRIGGERS = ['join', 'heartbeat', 'interaction', 'click', 'dismiss', 'poll', 'offer_word', 'topic'] as const satisfies readonly DecisionTrigger[];

/**
 * The one-hot a trigger sets. A host's CTA moment is a show-driven moment like a topic
 * change: it reads as `topic`, so adding it did not change the ranker's input.
 */
export function rankerTrigger(trigger: DecisionTrigger): (typeof TRIGGERS)[number] {
  return trigger === 'cta_moment' ? 'topic' : trigger;
}

const oneHot = (group: string, values: readonly string[]) => values.map((v) => `${group}=${v}`);

/** Scalar features, each in 0..1 (counts go through log1p and are capped). */
export const SCALAR_FEATURES = [
  'consent',
  'engagement',
  'topic_matches_show',
  'topics_seen_fraction',
  'engagement_x_topic_match',
  'ctas_shown_log',
  'ctas_clicked_log',
  'viewer_ctr',
  'template_shown_log',
  'template_clicked',
  'poll_answered',
  'template_sponsored',
  'template_requires_consent',
  'template_has_image',
  'template_targets_language',
  'muted',
  'paused',
] as const;

/**
 * The ranker's input row: the viewer × candidate features, fixed length. The placement
 * one-hots feed only the examination factor (see rankerNetwork.ts), never the relevance.
 */
export const FEATURE_NAMES: readonly string[] = [
  ...oneHot('device', DEVICE_CLASSES),
  ...oneHot('language', RANKER_LANGUAGES),
  ...oneHot('referrer', REFERRER_CLASSES),
  ...oneHot('region', REGION_BUCKETS),
  ...oneHot('watch', ['lt_1m', 'lt_5m', 'lt_15m', 'ge_15m']),
  ...oneHot('trigger', TRIGGERS),
  ...SCALAR_FEATURES,
  ...oneHot('placement', CTA_PLACEMENTS),
];

export const FEATURE_DIMENSION = FEATURE_NAMES.length;
const INDEX = new Map(FEATURE_NAMES.map((name, i) => [name, i]));

export function featureIndex(name: string): number {
  const index = INDEX.get(name);
  if (index === undefined) throw new Error(`no ranker feature ${name}`);
  return index;
}

/** value → feature index for one one-hot group, e.g. oneHotIndex('device').get('mobile'). */
export function oneHotIndex(group: string): ReadonlyMap<string, number> {
  const prefix = `${group}=`;
  return new Map(
    FEATURE_NAMES.flatMap((name, i) =>
      name.startsWith(prefix) ? [[name.slice(prefix.length), i] as const] : [],
    ),
  );
}

export const PLACEMENT_FEATURES = CTA_PLACEMENTS.map((p) => featureIndex(`placement=${p}`));
