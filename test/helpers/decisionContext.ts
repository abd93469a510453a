import type { DecisionContext, JoinContext, SessionFeatures, ShowState } from '../../server/decisions/types.js';

export const NOW = 1_760_000_000_000;

export interface ContextOverrides {
  join?: Partial<JoinContext>;
  session?: Partial<SessionFeatures>;
  show?: Partial<ShowState>;
  trigger?: DecisionContext['trigger'];
  offerTemplateId?: string;
}

/** An English desktop viewer in the US with consent, nothing shown yet, every sponsor on pace. */
export function decisionContext(o: ContextOverrides = {}): DecisionContext {
  return {
    showId: 'show',
    viewerId: 'viewer',
    nowMs: NOW,
    trigger: o.trigger ?? 'heartbeat',
    join: { device: 'desktop', language: 'en', referrer: 'direct', region: 'US', consent: true, ...o.join },
    session: {
      watchMs: 300_000,
      engagement: 0.5,
      topicsSeen: [],
      ctasShown: 0,
      ctasClicked: 0,
      shownByTemplate: {},
      clickedByTemplate: {},
      dismissedByTemplate: {},
      lastCtaAtMs: 0,
      muted: false,
      paused: false,
      ...o.session,
    },
    show: { topic: 'tech', impressionsByTemplate: { 'ledger-card': 6000 }, elapsedMs: 1_800_000, plannedDurationMs: 3_600_000, ...o.show },
    ...(o.offerTemplateId && { offerTemplateId: o.offerTemplateId }),
  };
}
