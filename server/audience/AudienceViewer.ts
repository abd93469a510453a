import type { ArmAssignment, Decision, JoinContext, SessionFeatures } from '../decisions/types.js';

const REMEMBERED_DECISIONS = 32;

/** A connected viewer of one show: its arm, last known session and the decisions it was shown. */
export class AudienceViewer {
  join: JoinContext = { device: 'unknown', language: 'en', referrer: 'direct', region: 'ZZ', consent: false };
  joined = false;
  displayName: string | undefined;
  /** The last features Redis returned; decisions that need no fresh read (offer words) use them. */
  features: SessionFeatures | undefined;
  /** The personal overlay on screen now, until `untilMs`. */
  showing: { decisionId: string; untilMs: number } | undefined;
  private readonly decisions = new Map<string, Decision>();
  private readonly outcomes = new Set<string>();

  constructor(
    readonly viewerId: string,
    readonly assignment: ArmAssignment,
    readonly send: (event: string, payload: unknown) => void,
    /** The socket this viewer is connected through (see ShowAudience.disconnect). */
    readonly connection?: string,
  ) {}

  remember(decision: Decision): void {
    this.decisions.set(decision.id, decision);
    if (this.decisions.size > REMEMBERED_DECISIONS) this.decisions.delete(this.decisions.keys().next().value!);
  }

  decision(id: string): Decision | undefined {
    return this.decisions.get(id);
  }

  /** False when this outcome of this decision was already counted (a replayed or repeated event). */
  firstOutcome(decisionId: string, kind: string): boolean {
    const key = `${decisionId}:${kind}`;
    if (this.outcomes.has(key)) return false;
    this.outcomes.add(key);
    if (this.outcomes.size > 4 * 32) this.outcomes.delete(this.outcomes.values().next().value!);
    return true;
  }

  overlayUp(nowMs: number): boolean {
    return this.showing !== undefined && this.showing.untilMs > nowMs;
  }
}
