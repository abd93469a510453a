import type { JoinContext, SessionFeatures } from '../decisions/types.js';

/**
 * What an event did to a viewer's session, as the lead resolves it from a validated
 * `/viewer` event (a CTA event's decisionId resolved to its template, a vote's option
 * index to its label, the show's current topic added to a heartbeat).
 */
export type SessionUpdate =
  | { kind: 'join'; join: JoinContext }
  | { kind: 'heartbeat'; watchMs: number; topic?: string }
  | { kind: 'pause' | 'resume' | 'mute' | 'unmute' | 'seek' | 'chat' }
  | { kind: 'impression' | 'click' | 'dismiss'; templateId: string }
  | { kind: 'vote'; pollId: string; option: string };

export type SessionUpdateKind = SessionUpdate['kind'];

/** A viewer's session in one show: the join context (absent before the first join) and the features. */
export interface SessionSnapshot {
  join?: JoinContext;
  features: SessionFeatures;
}

/** The long-term profile, kept only with consent, under the anonymous viewer id. */
export interface ViewerProfile {
  firstSeenMs: number;
  lastSeenMs: number;
  totalClicks: number;
  showsWatched: number;
  /** Heartbeats with watch time per show topic, the most-watched topics only (bounded). */
  topicAffinities: Record<string, number>;
}
