import type {
  CtaPlacement,
  DecisionContext,
  DeviceClass,
  DecisionTrigger,
  OverlayTemplate,
  ReferrerClass,
} from '../../types.js';
import { sigmoid } from '../rankerNetwork.js';

/**
 * The simulator's ground truth (documented in docs/decisions.md), a position-based model:
 * P(click) = P(examined | placement) · P(click | examined, viewer, template).
 * Examination depends on the placement only: a badge in a corner is seen far less often
 * than a lower third across the picture.
 */
export const TRUE_EXAMINATION: Record<CtaPlacement, number> = {
  lower_third_cta: 0.9,
  side_card: 0.6,
  badge: 0.3,
};

export const TRUE_RELEVANCE = {
  intercept: -3.8,
  topicMatchesShow: 1.3,
  /** Interaction: a topic match counts for more with engaged viewers. */
  topicMatchTimesEngagement: 1.2,
  topicsSeenFraction: 0.9,
  engagement: 1.0,
  templateTargetsLanguage: 0.6,
  /** English copy (no language list) read by a viewer whose language is not English. */
  foreignLanguageCopy: -0.7,
  viewerClickedBefore: 0.5,
  timesShownThisTemplate: -0.45,
  consentedPersonalisedOffer: 0.5,
  sponsored: -0.15,
  /** Interaction: a sponsor read lands with engaged viewers, much less with the others. */
  sponsoredTimesDisengagement: -1.4,
  muted: -0.3,
  paused: -0.8,
  pollAnswered: 0.25,
  device: { desktop: 0, mobile: -0.25, tablet: -0.1, tv: -1.3, unknown: -0.3 } as Record<
    DeviceClass,
    number
  >,
  referrer: {
    direct: 0,
    search: 0.1,
    social: -0.15,
    email: 0.35,
    partner: 0.2,
    other: 0,
  } as Record<ReferrerClass, number>,
  trigger: {
    join: -0.2,
    heartbeat: 0,
    interaction: 0.2,
    click: 0.3,
    dismiss: -0.6,
    poll: 0.1,
    offer_word: 0.4,
    topic: 0.3,
  } as Record<DecisionTrigger, number>,
};

export function trueRelevance(context: DecisionContext, template: OverlayTemplate): number {
  const c = TRUE_RELEVANCE;
  const session = context.session!;
  const topicMatch =
    context.show.topic !== undefined && template.topics.includes(context.show.topic) ? 1 : 0;
  const seen = template.topics.length
    ? template.topics.filter((t) => session.topicsSeen.includes(t)).length / template.topics.length
    : 0;
  const targeted = template.languages?.includes(context.join.language) ? 1 : 0;
  const foreign = !template.languages && context.join.language !== 'en' ? 1 : 0;
  const z =
    c.intercept +
    c.topicMatchesShow * topicMatch +
    c.topicMatchTimesEngagement * topicMatch * session.engagement +
    c.topicsSeenFraction * seen +
    c.engagement * session.engagement +
    c.templateTargetsLanguage * targeted +
    c.foreignLanguageCopy * foreign +
    c.viewerClickedBefore * (session.ctasClicked > 0 ? 1 : 0) +
    c.timesShownThisTemplate * (session.shownByTemplate[template.id] ?? 0) +
    c.consentedPersonalisedOffer * (template.requiresConsent && context.join.consent ? 1 : 0) +
    c.sponsored * (template.sponsor ? 1 : 0) +
    c.sponsoredTimesDisengagement * (template.sponsor ? 1 - session.engagement : 0) +
    c.muted * (session.muted ? 1 : 0) +
    c.paused * (session.paused ? 1 : 0) +
    c.pollAnswered * (session.lastPollAnswer ? 1 : 0) +
    c.device[context.join.device] +
    c.referrer[context.join.referrer] +
    c.trigger[context.trigger];
  return sigmoid(z);
}

export function trueClickProbability(context: DecisionContext, template: OverlayTemplate): number {
  return TRUE_EXAMINATION[template.placement] * trueRelevance(context, template);
}
