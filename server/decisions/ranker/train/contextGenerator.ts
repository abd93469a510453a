import type {
  DecisionContext,
  DecisionTrigger,
  DeviceClass,
  OverlayTemplate,
  ReferrerClass,
  SessionFeatures,
  ShowState,
} from '../../types.js';
import {
  between,
  chance,
  exponential,
  integerBelow,
  sample,
  weighted,
  type Random,
} from './randomDraws.js';

/** The demo shows: persona, language mix and the topics their segments cover. */
const SHOWS = [
  {
    id: 'morning-briefing',
    spanish: 0.1,
    topics: ['news', 'tech', 'ai', 'finance', 'crypto', 'science'],
  },
  { id: 'directo-tech', spanish: 0.85, topics: ['tech', 'gadgets', 'ai', 'crypto', 'community'] },
  { id: 'markets-with-marcus', spanish: 0.05, topics: ['finance', 'crypto', 'security', 'news'] },
] as const;

const EN_REGIONS: Record<string, number> = {
  US: 38,
  CA: 7,
  GB: 20,
  IE: 3,
  DE: 5,
  IN: 8,
  AU: 6,
  NL: 3,
  FR: 3,
  ZZ: 5,
  IR: 1,
  SG: 1,
};
const ES_REGIONS: Record<string, number> = {
  ES: 40,
  MX: 24,
  AR: 11,
  CO: 8,
  CL: 4,
  US: 8,
  ZZ: 4,
  CU: 1,
};
const DEVICES: Record<DeviceClass, number> = {
  desktop: 45,
  mobile: 40,
  tablet: 8,
  tv: 5,
  unknown: 2,
};
const REFERRERS: Record<ReferrerClass, number> = {
  direct: 35,
  search: 20,
  social: 25,
  email: 10,
  partner: 5,
  other: 5,
};
const TRIGGERS: Partial<Record<DecisionTrigger, number>> = {
  heartbeat: 42,
  join: 10,
  interaction: 14,
  topic: 15,
  poll: 8,
  click: 5,
  dismiss: 3,
  offer_word: 3,
};
const PLANNED_MS = 60 * 60_000;
const EPOCH_MS = 1_760_000_000_000;

export interface ContextOptions {
  /** Leave out `offer_word` (the simulator logs ranker decisions only). */
  rankerTriggersOnly?: boolean;
}

function randomCounts(
  random: Random,
  templates: readonly OverlayTemplate[],
  total: number,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < total; i++) {
    const id = templates[integerBelow(random, templates.length)]!.id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

function randomSession(
  random: Random,
  templates: readonly OverlayTemplate[],
  topics: readonly string[],
  nowMs: number,
): SessionFeatures {
  const watchMs = Math.round(exponential(random, 8 * 60_000) / 1000) * 1000;
  const engagement = Math.min(
    1,
    Math.max(0, 0.15 + watchMs / 3_600_000 + between(random, -0.15, 0.55)),
  );
  const ctasShown = Math.min(8, Math.floor(exponential(random, 1.4)));
  const shownByTemplate = randomCounts(random, templates, ctasShown);
  const clicked = Object.keys(shownByTemplate).filter(() => chance(random, 0.12));
  const dismissed = Object.keys(shownByTemplate).filter(() => chance(random, 0.06));
  return {
    watchMs,
    engagement: Math.round(engagement * 100) / 100,
    topicsSeen: sample(random, topics, integerBelow(random, Math.min(5, topics.length) + 1)),
    ctasShown,
    ctasClicked: clicked.length,
    shownByTemplate,
    clickedByTemplate: Object.fromEntries(clicked.map((id) => [id, 1])),
    dismissedByTemplate: Object.fromEntries(dismissed.map((id) => [id, 1])),
    lastCtaAtMs: ctasShown ? nowMs - Math.round(between(random, 5_000, 400_000)) : 0,
    ...(chance(random, 0.3) && { lastPollAnswer: weighted(random, { a: 1, b: 1, c: 1 }) }),
    muted: chance(random, 0.15),
    paused: chance(random, 0.05),
  };
}

/** Delivered impressions around each commitment's pace (sometimes behind) and inventory. */
function randomShowState(
  random: Random,
  templates: readonly OverlayTemplate[],
  topic: string,
): ShowState {
  const elapsedMs = Math.round(between(random, 0, PLANNED_MS));
  const progress = elapsedMs / PLANNED_MS;
  const impressionsByTemplate: Record<string, number> = {};
  for (const t of templates) {
    const target = t.guaranteedImpressions ?? t.inventory ?? 4_000;
    const delivered = Math.floor(target * progress * between(random, 0.93, 1.4));
    impressionsByTemplate[t.id] = Math.min(delivered, t.inventory ?? Infinity);
  }
  return { topic, impressionsByTemplate, elapsedMs, plannedDurationMs: PLANNED_MS };
}

/** A realistic random decision context for one of the demo shows (seeded through `random`). */
export function randomContext(
  random: Random,
  templates: readonly OverlayTemplate[],
  options: ContextOptions = {},
): DecisionContext {
  const show = SHOWS[integerBelow(random, SHOWS.length)]!;
  const spanish = chance(random, show.spanish);
  const language = spanish
    ? 'es'
    : chance(random, 0.06)
      ? weighted(random, { fr: 1, de: 1, pt: 1 })
      : 'en';
  const stateOfShow = randomShowState(
    random,
    templates,
    show.topics[integerBelow(random, show.topics.length)]!,
  );
  const nowMs = EPOCH_MS + stateOfShow.elapsedMs;
  let trigger = weighted(random, TRIGGERS as Record<DecisionTrigger, number>);
  if (options.rankerTriggersOnly && trigger === 'offer_word') trigger = 'heartbeat';
  const offer = templates[integerBelow(random, templates.length)]!;
  return {
    showId: show.id,
    viewerId: `v${Math.floor(random() * 1e9).toString(36)}`,
    nowMs,
    trigger,
    join: {
      device: weighted(random, DEVICES),
      language,
      referrer: weighted(random, REFERRERS),
      region: weighted(random, spanish ? ES_REGIONS : EN_REGIONS),
      consent: chance(random, 0.7),
    },
    session: randomSession(random, templates, show.topics, nowMs),
    show: stateOfShow,
    ...(trigger === 'offer_word' && { offerTemplateId: offer.id }),
  };
}
