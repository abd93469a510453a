/**
 * The personalization contracts shared by the session engine, the decision engine, the
 * experiments and the overlay delivery. Times are in ms unless a name says otherwise.
 */

/** The overlay grammar: exactly these placements. `none` is the fallback state. */
export const PLACEMENTS = ['lower_third_cta', 'side_card', 'badge', 'poll_card', 'none'] as const;
export type Placement = (typeof PLACEMENTS)[number];
/** Placements a CTA template may take; the poll card belongs to polls. */
export type CtaPlacement = Exclude<Placement, 'none' | 'poll_card'>;

export const DEVICE_CLASSES = ['desktop', 'mobile', 'tablet', 'tv', 'unknown'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];
export const REFERRER_CLASSES = ['direct', 'search', 'social', 'email', 'partner', 'other'] as const;
export type ReferrerClass = (typeof REFERRER_CLASSES)[number];

/** What a viewer says about itself on joining. Region is coarse: an ISO 3166 alpha-2 code or `ZZ`. */
export interface JoinContext {
  device: DeviceClass;
  /** Primary language subtag, lower case: `en`, `es`. */
  language: string;
  referrer: ReferrerClass;
  utmSource?: string;
  utmCampaign?: string;
  region: string;
  consent: boolean;
}

/** A CTA template from assets/overlays (validated at load). */
export interface OverlayTemplate {
  id: string;
  placement: CtaPlacement;
  headline: string;
  body?: string;
  /** Button label. */
  action?: string;
  /** https:// only. */
  link?: string;
  /** A file name in assets/overlays/images. */
  image?: string;
  colours: { background: string; text: string; accent: string };
  sponsor?: string;
  topics: string[];
  /**
   * Languages it may be shown in. Absent: the languages it has text in (`language` and its
   * `translations`), or any language for an entry that names none (older catalogs).
   */
  languages?: string[];
  /** The language `headline`, `body` and `action` are written in. */
  language?: string;
  /** The same CTA in other languages, by primary language subtag; needs `language`. */
  translations?: Record<string, OverlayText>;
  /** Compliance by region: `deny` wins over `allow`; absent `allow` = every region. */
  regions?: { allow?: string[]; deny?: string[] };
  /** Only for viewers who consented to personalization. */
  requiresConsent: boolean;
  /** Per viewer: at most `maxPerSession` impressions, at least `minGapMs` after that viewer's last CTA. */
  frequencyCap: { maxPerSession: number; minGapMs: number };
  /** Inventory cap: impressions over the whole show. */
  inventory?: number;
  /** Sponsor commitment: impressions guaranteed over the show (paced across its planned duration). */
  guaranteedImpressions?: number;
}

/** A CTA's words in one language; a translation may point at a page in that language too. */
export interface OverlayText {
  headline: string;
  body?: string;
  action?: string;
  link?: string;
}

/** A viewer's session features, as the session engine keeps them in Redis. */
export interface SessionFeatures {
  watchMs: number;
  /** 0..1, from watch time, interactions and chat. */
  engagement: number;
  /** Most recent last, bounded. */
  topicsSeen: string[];
  ctasShown: number;
  ctasClicked: number;
  shownByTemplate: Record<string, number>;
  clickedByTemplate: Record<string, number>;
  dismissedByTemplate: Record<string, number>;
  /** Epoch ms of the last CTA impression; 0 when none. */
  lastCtaAtMs: number;
  lastPollAnswer?: string;
  muted: boolean;
  paused: boolean;
}

/** What the show knows that every decision shares. */
export interface ShowState {
  /** The topic the presenter is on now (from the last cue's intent or the host). */
  topic?: string;
  /** Impressions per template over the show so far (inventory and sponsor pacing). */
  impressionsByTemplate: Record<string, number>;
  elapsedMs: number;
  plannedDurationMs: number;
}

/**
 * What led to a decision. The first eight, in this order, are the ranker's trigger one-hots
 * (featureLayout.ts: append, never reorder); `cta_moment` (the host's CTA moment) is encoded
 * as `topic`, the show-driven moment the ranker was trained on.
 */
export const DECISION_TRIGGERS = ['join', 'heartbeat', 'interaction', 'click', 'dismiss', 'poll', 'offer_word', 'topic', 'cta_moment'] as const;
export type DecisionTrigger = (typeof DECISION_TRIGGERS)[number];

export interface DecisionContext {
  showId: string;
  viewerId: string;
  nowMs: number;
  trigger: DecisionTrigger;
  join: JoinContext;
  /** Undefined when the session store could not be read (Redis away): the fallback tier decides. */
  session: SessionFeatures | undefined;
  show: ShowState;
  /** For `offer_word`: the template the script marked; the decision is whether this viewer gets it. */
  offerTemplateId?: string;
}

export const ARMS = ['holdout', 'control', 'treatment'] as const;
export type Arm = (typeof ARMS)[number];

export interface ArmAssignment {
  arm: Arm;
  /** The ranker version this viewer's decisions use; none for the holdout. */
  modelVersion?: string;
  /** 0..9999 buckets, for the audit. */
  holdoutBucket: number;
  rolloutBucket: number;
}

export const DECISION_TIERS = ['rules', 'ranker', 'explore', 'default', 'fallback'] as const;
export type DecisionTier = (typeof DECISION_TIERS)[number];

export interface Decision {
  id: string;
  showId: string;
  viewerId: string;
  atMs: number;
  trigger: DecisionTrigger;
  placement: Placement;
  templateId?: string;
  tier: DecisionTier;
  arm: Arm;
  modelVersion?: string;
  /** Probability with which this action was chosen (1 for deterministic choices). */
  propensity: number;
  /** Every rule that fired, by name, e.g. `frequency_cap:ledger-card`, `region_deny:promo-x`. */
  rulesFired: string[];
  /** The ranker's score for the chosen action, when it scored. */
  score?: number;
  /** Why the fallback tier decided: `redis_unavailable`, `model_error`, `budget_exceeded`. */
  fallbackReason?: string;
  latencyMs: number;
  /** Ranked decisions: what the rules left to choose from, and whether `none` was one of the choices (training logs). */
  ranked?: { candidates: string[]; noneAllowed: boolean };
}
