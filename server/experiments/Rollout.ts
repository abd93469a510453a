import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { SerialQueue } from '../../lib/SerialQueue.js';
import type { Arm, ArmAssignment } from '../decisions/types.js';
import { assignArm } from './assignArm.js';
import { BUCKETS, bucketThreshold } from './bucketing.js';
import { RolloutRefusedError } from './errors.js';
import type { ExperimentConfig } from './ExperimentConfig.js';
import {
  guardrailView,
  judgeGuardrail,
  type GuardrailInput,
  type GuardrailJudgement,
  type GuardrailView,
} from './guardrail.js';
import { MAX_HISTORY, pointOf, type RolloutState, type RolloutTransition } from './RolloutState.js';
import type { RolloutStore } from './RolloutStore.js';
import type { StageAssignments } from './StageAssignments.js';

export type RolloutEvents = {
  stagechange: [transition: RolloutTransition];
  paused: [reason: string, transition: RolloutTransition];
  resumed: [transition: RolloutTransition];
};

export interface GuardrailVerdict extends GuardrailJudgement {
  action: 'none' | 'paused' | 'advanced';
}

export interface RolloutOptions {
  now?: () => number;
  /** Counts each stage's viewers in Redis, so the sample-ratio check covers every node's. */
  assignments?: StageAssignments;
  /** A node that follows the rollout another node runs (ShowAudience replicas): it never writes it. */
  follower?: boolean;
}

/** Distinct viewers counted per stage for the sample-ratio check; later ones are not counted. */
export const MAX_COUNTED_VIEWERS = 1_000_000;

/**
 * A show's staged rollout. State lives in memory (assignment never touches Redis) and in a
 * Redis hash, so a restart resumes where it was. Operations run one at a time. advance and
 * resume are written to Redis before they take effect (refused while Redis is away); a pause
 * takes effect even when Redis is away and is written on the next successful save.
 */
export class Rollout extends EnhancedEventEmitter<RolloutEvents> {
  readonly stats = { persistFailures: 0 };
  private current: RolloutState;
  private unsaved = false;
  private readonly queue = new SerialQueue();
  private lastTreatmentImpressions: number | null = null;
  private readonly now: () => number;
  /** Distinct viewers assigned in this process since the stage began (or the last resume). */
  private stageViewers = new Set<string>();
  private stageCounts: Record<Arm, number> = { holdout: 0, control: 0, treatment: 0 };
  private lastJudgement: GuardrailVerdict | undefined;
  private readonly assignments: StageAssignments | undefined;

  private constructor(
    readonly showId: string,
    readonly config: ExperimentConfig,
    private readonly store: RolloutStore,
    state: RolloutState,
    options: RolloutOptions,
  ) {
    super();
    this.current = state;
    this.now = options.now ?? Date.now;
    this.assignments = options.assignments;
  }

  /** Loads the show's stored state, or starts at the first stage. Throws ROLLOUT_STORE_UNAVAILABLE when Redis fails. */
  static async open(
    store: RolloutStore,
    showId: string,
    config: ExperimentConfig,
    options: RolloutOptions = {},
  ): Promise<Rollout> {
    const now = options.now ?? Date.now;
    const stored = await store.load(showId).catch((error: unknown) => {
      throw new RolloutRefusedError(
        'ROLLOUT_STORE_UNAVAILABLE',
        `cannot load the rollout of show ${showId}: ${String(error)}`,
      );
    });
    const key = experimentKeyOf(config);
    const fresh = stored === undefined || stored === 'unreadable' || stored.experimentKey !== key;
    const state = fresh
      ? initialState(key, now())
      : { ...stored, stageIndex: Math.min(stored.stageIndex, config.stages.length - 1) };
    // Unreadable state could have been paused: start paused rather than expose more viewers.
    if (stored === 'unreadable')
      Object.assign(state, { paused: true, pausedReason: 'stored rollout state was unreadable' });
    const rollout = new Rollout(showId, config, store, state, options);
    if (fresh && !options.follower)
      await rollout.queue.run(() =>
        rollout.save(rollout.current).catch(() => rollout.markUnsaved()),
      );
    return rollout;
  }

  get state(): Readonly<RolloutState> {
    return this.current;
  }

  get percent(): number {
    return this.config.stages[this.current.stageIndex]!;
  }

  /**
   * In memory: about 2 µs. Each distinct viewer is counted once per stage for the
   * sample-ratio check (the counts restart at every stage change and resume).
   */
  assign(viewerId: string): ArmAssignment {
    const assignment = assignArm(viewerId, { config: this.config, rolloutPercent: this.percent });
    if (this.stageViewers.size < MAX_COUNTED_VIEWERS && !this.stageViewers.has(viewerId)) {
      this.stageViewers.add(viewerId);
      this.stageCounts[assignment.arm] += 1;
      this.assignments
        ?.record(this.showId, this.current.stageStartedAtMs, viewerId, assignment.arm)
        .catch(() => undefined);
    }
    return assignment;
  }

  /**
   * A follower takes the state the origin runs (its stage, pause, and the stage's start, which
   * names the stage's viewer count); a new stage or a resume starts this node's counts again.
   */
  follow(
    state: Pick<RolloutState, 'stageIndex' | 'paused' | 'pausedReason' | 'stageStartedAtMs'>,
  ): void {
    const stageIndex = Math.min(Math.max(0, state.stageIndex), this.config.stages.length - 1);
    const restarted =
      state.stageStartedAtMs !== this.current.stageStartedAtMs ||
      stageIndex !== this.current.stageIndex;
    const next: RolloutState = {
      ...this.current,
      stageIndex,
      paused: state.paused,
      stageStartedAtMs: state.stageStartedAtMs,
    };
    delete next.pausedReason;
    if (state.pausedReason) next.pausedReason = state.pausedReason;
    this.current = next;
    if (restarted) this.resetStageCounts();
  }

  /** Viewers assigned per arm in this stage (this process), for the sample-ratio check. */
  get stageAssignments(): Readonly<Record<Arm, number>> {
    return this.stageCounts;
  }

  /** The shares of viewers the current stage should give each arm (exact to the bucket). */
  get expectedShares(): Record<Arm, number> {
    const holdout = bucketThreshold(this.config.holdoutPercent) / BUCKETS;
    const treatment = (bucketThreshold(this.percent) / BUCKETS) * (1 - holdout);
    return { holdout, control: 1 - holdout - treatment, treatment };
  }

  /** The latest guardrail verdict (CTR test and sample-ratio check), for the host panel. */
  get guardrail(): GuardrailVerdict | undefined {
    return this.lastJudgement;
  }

  /** The latest verdict as the host panel shows it; null before the first evaluation. */
  get guardrailView(): GuardrailView | null {
    return this.lastJudgement ? guardrailView(this.config.guardrail, this.lastJudgement) : null;
  }

  advance(why = 'manual'): Promise<RolloutState> {
    return this.queue.run(() => this.advanceNow(why));
  }

  pause(reason: string): Promise<RolloutState> {
    return this.queue.run(() => this.pauseNow(reason));
  }

  resume(why = 'manual'): Promise<RolloutState> {
    return this.queue.run(async () => {
      if (!this.current.paused)
        throw new RolloutRefusedError('ROLLOUT_NOT_PAUSED', 'the rollout is not paused');
      const next: RolloutState = { ...this.current, paused: false, stageStartedAtMs: this.now() };
      delete next.pausedReason;
      const transition = await this.commit(next, why);
      this.resetStageCounts();
      this.safeEmit('resumed', transition);
      return this.current;
    });
  }

  /**
   * Auto-pauses on a breach (a sample-ratio mismatch of this stage's viewers, or the sequential
   * CTR test); with auto-advance on, moves to the next stage once this one has enough treatment data.
   */
  evaluateGuardrail(snapshot: GuardrailInput): Promise<GuardrailVerdict> {
    return this.queue.run(async () => {
      const verdict = await this.evaluateNow(snapshot);
      this.lastJudgement = verdict;
      return verdict;
    });
  }

  private async evaluateNow(snapshot: GuardrailInput): Promise<GuardrailVerdict> {
    this.lastTreatmentImpressions = snapshot.treatment.impressions;
    if (this.current.stageBaselineImpressions === null) {
      this.current = {
        ...this.current,
        stageBaselineImpressions: snapshot.treatment.impressions,
      };
    }
    // Every node's viewers of this stage, counted once in Redis; this node's alone when Redis does not answer.
    const counted = await this.assignments
      ?.counts(this.showId, this.current.stageStartedAtMs)
      .catch(() => undefined);
    const judgement = judgeGuardrail(this.config.guardrail, snapshot, {
      observed: counted ?? { ...this.stageCounts },
      expectedShares: this.expectedShares,
    });
    if (judgement.status === 'breached' && !this.current.paused) {
      await this.pauseNow(judgement.reason!);
      return { ...judgement, action: 'paused' as const };
    }
    if (judgement.status === 'healthy' && this.mayAutoAdvance(snapshot.treatment.impressions)) {
      const advanced = await this.advanceNow(
        `auto: guardrail healthy (treatment CTR ${ratio(judgement.treatmentCtr)}, control ${ratio(judgement.controlCtr)})`,
      ).then(
        () => true,
        () => false,
      );
      if (advanced) return { ...judgement, action: 'advanced' as const };
    }
    if (this.unsaved) await this.save(this.current).catch(() => this.markUnsaved());
    return { ...judgement, action: 'none' as const };
  }

  private resetStageCounts(): void {
    this.stageViewers = new Set();
    this.stageCounts = { holdout: 0, control: 0, treatment: 0 };
  }

  private async advanceNow(why: string): Promise<RolloutState> {
    if (this.current.paused) {
      throw new RolloutRefusedError(
        'ROLLOUT_PAUSED',
        `the rollout is paused (${this.current.pausedReason ?? 'no reason given'}); resume it first`,
      );
    }
    if (this.current.stageIndex >= this.config.stages.length - 1) {
      throw new RolloutRefusedError(
        'ROLLOUT_COMPLETE',
        `the rollout is at its last stage (${this.percent}%)`,
      );
    }
    const next: RolloutState = {
      ...this.current,
      stageIndex: this.current.stageIndex + 1,
      stageStartedAtMs: this.now(),
      stageBaselineImpressions: this.lastTreatmentImpressions,
    };
    const transition = await this.commit(next, why);
    this.resetStageCounts();
    this.safeEmit('stagechange', transition);
    return this.current;
  }

  private async pauseNow(reason: string): Promise<RolloutState> {
    if (this.current.paused) return this.current;
    const transition = await this.commit(
      { ...this.current, paused: true, pausedReason: reason },
      reason,
      { evenUnsaved: true },
    );
    this.safeEmit('paused', reason, transition);
    return this.current;
  }

  private mayAutoAdvance(treatmentImpressions: number): boolean {
    const { autoAdvance, guardrail, stages } = this.config;
    const state = this.current;
    if (!autoAdvance.enabled || state.paused || state.stageIndex >= stages.length - 1) return false;
    const collected =
      treatmentImpressions - (state.stageBaselineImpressions ?? treatmentImpressions);
    return (
      collected >= guardrail.minImpressionsPerArm &&
      this.now() - state.stageStartedAtMs >= autoAdvance.minStageMs
    );
  }

  /** Saves `next` with its transition, then applies it. `evenUnsaved` applies it when the save fails. */
  private async commit(
    next: RolloutState,
    why: string,
    { evenUnsaved = false } = {},
  ): Promise<RolloutTransition> {
    const transition = {
      atMs: this.now(),
      from: pointOf(this.current, this.config.stages),
      to: pointOf(next, this.config.stages),
      why,
    };
    const withHistory = {
      ...next,
      history: [...this.current.history, transition].slice(-MAX_HISTORY),
    };
    try {
      await this.save(withHistory);
    } catch (error) {
      if (!evenUnsaved)
        throw new RolloutRefusedError(
          'ROLLOUT_STORE_UNAVAILABLE',
          `cannot save the rollout: ${String(error)}`,
        );
      this.markUnsaved();
    }
    this.current = withHistory;
    return transition;
  }

  private async save(state: RolloutState): Promise<void> {
    await this.store.save(this.showId, state);
    this.unsaved = false;
  }

  private markUnsaved(): void {
    this.unsaved = true;
    this.stats.persistFailures += 1;
  }
}

export function experimentKeyOf(config: ExperimentConfig): string {
  return JSON.stringify([
    config.salt,
    config.control.modelVersion,
    config.treatment.modelVersion,
    config.stages,
  ]);
}

function initialState(experimentKey: string, nowMs: number): RolloutState {
  return {
    experimentKey,
    stageIndex: 0,
    paused: false,
    stageStartedAtMs: nowMs,
    stageBaselineImpressions: null,
    history: [],
  };
}

const ratio = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(2)}%`);
