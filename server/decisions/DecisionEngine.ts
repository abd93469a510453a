import { existsSync } from 'node:fs';
import path from 'node:path';
import { OverlayCatalog } from '../overlays/OverlayCatalog.js';
import { decisionIdSource } from './decisionIds.js';
import { chooseRanked, type ChoicePolicy, type RankedChoice } from './rankedChoice.js';
import { encodeRows } from './ranker/featureEncoder.js';
import { FEATURE_DIMENSION } from './ranker/featureLayout.js';
import { RankerBatcher, type RankerFailure } from './ranker/RankerBatcher.js';
import { RANKER_ASSETS_DIR, RANKER_VERSIONS } from './ranker/rankerManifest.js';
import { RankerModel } from './ranker/RankerModel.js';
import type { RankerScorer } from './ranker/RankerScorer.js';
import { RuleSet, type RuleOutcome } from './rules/RuleSet.js';
import type {
  ArmAssignment,
  Decision,
  DecisionContext,
  DecisionTier,
  OverlayTemplate,
} from './types.js';

export type FallbackReason =
  'redis_unavailable' | 'model_error' | 'budget_exceeded' | 'model_unavailable' | 'internal_error';

export interface DecisionEngineOptions {
  templates: readonly OverlayTemplate[];
  /** The loaded ranker versions, by their `version`. */
  rankers?: readonly RankerScorer[];
  /** The show's default template (holdout and fallback), for every show or per show. */
  defaultTemplateId?: string | ((showId: string) => string | undefined);
  /** In-process budget per decision; the ranker gets it less `fallbackReserveMs`. */
  budgetMs?: number;
  fallbackReserveMs?: number;
  epsilon?: number;
  minScoreToShow?: number;
  /** The exploration draw (lib/prng.ts mulberry32 in tests). */
  random?: () => number;
  now?: () => number;
  maxBatchRows?: number;
  ruleSet?: RuleSet;
}

export interface DecisionEngineLoadOptions extends Omit<
  DecisionEngineOptions,
  'templates' | 'rankers'
> {
  overlaysDir?: string;
  /** An already loaded catalog (then `overlaysDir` is not read). */
  catalog?: OverlayCatalog;
  rankerDir?: string;
  versions?: readonly string[];
}

interface Outcome {
  template: OverlayTemplate | undefined;
  tier: DecisionTier;
  propensity: number;
  rulesFired: string[];
  score?: number;
  fallbackReason?: FallbackReason;
  ranked?: Decision['ranked'];
}

const NO_RULES: string[] = [];

/**
 * Three tiers: rules → ranker (with exploration) → fallback. `decide` never rejects: every
 * failure becomes a fallback decision (the default template through the rules, else `none`),
 * computed synchronously and so always inside the budget.
 */
export class DecisionEngine {
  private readonly byId: ReadonlyMap<string, OverlayTemplate>;
  private readonly batchers = new Map<string, RankerBatcher>();
  private readonly rules: RuleSet;
  private readonly policy: ChoicePolicy;
  private readonly budgetMs: number;
  private readonly rankerBudgetMs: number;
  private readonly now: () => number;
  private readonly nextId = decisionIdSource();
  private scratch = new Float32Array(16 * FEATURE_DIMENSION);

  constructor(private readonly options: DecisionEngineOptions) {
    this.byId = new Map(options.templates.map((t) => [t.id, t]));
    this.rules = options.ruleSet ?? new RuleSet();
    this.now = options.now ?? (() => performance.now());
    this.budgetMs = options.budgetMs ?? 5;
    this.rankerBudgetMs = Math.max(
      this.budgetMs / 2,
      this.budgetMs - (options.fallbackReserveMs ?? 1),
    );
    this.policy = {
      epsilon: options.epsilon ?? 0.05,
      minScoreToShow: options.minScoreToShow ?? 0.02,
      random: options.random ?? Math.random,
    };
    for (const scorer of options.rankers ?? []) {
      this.batchers.set(
        scorer.version,
        new RankerBatcher(scorer, { maxRows: options.maxBatchRows, now: this.now }),
      );
    }
  }

  /** Reads the overlay catalog and the committed ranker versions from assets. */
  static async load(options: DecisionEngineLoadOptions = {}): Promise<DecisionEngine> {
    const catalog = options.catalog ?? OverlayCatalog.load(options.overlaysDir);
    const rankerDir = options.rankerDir ?? RANKER_ASSETS_DIR;
    const versions = (options.versions ?? RANKER_VERSIONS).filter((v) =>
      existsSync(path.join(rankerDir, v)),
    );
    const rankers = await Promise.all(
      versions.map((v) => RankerModel.load(path.join(rankerDir, v))),
    );
    return new DecisionEngine({ ...options, templates: catalog.templates, rankers });
  }

  get versions(): string[] {
    return [...this.batchers.keys()];
  }

  get templates(): readonly OverlayTemplate[] {
    return this.options.templates;
  }

  decide(context: DecisionContext, assignment: ArmAssignment): Promise<Decision> {
    const started = this.now();
    try {
      const outcome = this.route(context, assignment, started);
      if (!(outcome instanceof Promise))
        return Promise.resolve(this.toDecision(context, assignment, started, outcome));
      return outcome.then(
        (o) => this.toDecision(context, assignment, started, o),
        () =>
          this.toDecision(context, assignment, started, this.fallback(context, 'internal_error')),
      );
    } catch {
      return Promise.resolve(
        this.toDecision(context, assignment, started, this.fallback(context, 'internal_error')),
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.batchers.values()].map((b) => b.scorer.close?.()));
  }

  private route(
    context: DecisionContext,
    assignment: ArmAssignment,
    started: number,
  ): Outcome | Promise<Outcome> {
    if (context.session === undefined) return this.fallback(context, 'redis_unavailable');
    if (context.trigger === 'offer_word')
      return this.rulesOnly(context, this.offerTemplate(context), 'rules');
    if (assignment.arm === 'holdout')
      return this.rulesOnly(context, this.defaultTemplate(context), 'default');
    const batcher =
      assignment.modelVersion === undefined
        ? undefined
        : this.batchers.get(assignment.modelVersion);
    if (!batcher) return this.fallback(context, 'model_unavailable');
    const ruled = this.rules.apply(context, this.options.templates);
    if (ruled.eligible.length === 0) return settled(undefined, 'rules', ruled.rulesFired);
    if (ruled.forced && ruled.eligible.length === 1)
      return settled(ruled.eligible[0], 'rules', ruled.rulesFired);
    return this.rank(context, ruled, batcher, started);
  }

  private rank(
    context: DecisionContext,
    ruled: RuleOutcome,
    batcher: RankerBatcher,
    started: number,
  ): Promise<Outcome> {
    // A CTA moment is the host asking for a CTA now: among what the rules allow, `none` is no option.
    const forced = ruled.forced || context.trigger === 'cta_moment';
    const rows = ruled.eligible.length;
    if (this.scratch.length < rows * FEATURE_DIMENSION)
      this.scratch = new Float32Array(rows * FEATURE_DIMENSION);
    encodeRows(context, context.session!, ruled.eligible, this.scratch);
    return batcher.submit(this.scratch, rows, started + this.rankerBudgetMs).then((result) => {
      if (!result.ok) return this.fallback(context, result.failure, ruled.rulesFired, forced ? ruled.eligible : undefined);
      const choice: RankedChoice = chooseRanked(
        ruled.eligible,
        result.scores,
        result.offset,
        forced,
        this.policy,
      );
      return { ...choice, rulesFired: ruled.rulesFired, ranked: { candidates: ruled.eligible.map((t) => t.id), noneAllowed: !forced } };
    });
  }

  /** One template through the rules: shown if they allow it, else `none`; propensity 1. */
  private rulesOnly(
    context: DecisionContext,
    template: OverlayTemplate | undefined,
    tier: DecisionTier,
  ): Outcome {
    if (!template) return settled(undefined, tier, NO_RULES);
    const ruled = this.rules.apply(context, [template]);
    return settled(ruled.eligible[0], tier, ruled.rulesFired);
  }

  /**
   * Synchronous and cheap, so always inside the budget; defensive against a malformed context.
   * `mustShow`: a forced decision (a CTA moment, sponsors behind schedule) whose ranker failed
   * still shows one of what the rules allowed when the default template is not among them.
   */
  private fallback(
    context: DecisionContext,
    reason: FallbackReason | RankerFailure,
    rulesFired: string[] = [],
    mustShow?: readonly OverlayTemplate[],
  ): Outcome {
    let outcome: Outcome;
    try {
      const target =
        context.trigger === 'offer_word'
          ? this.offerTemplate(context)
          : this.defaultTemplate(context);
      outcome = this.rulesOnly(context, target, 'fallback');
      if (!outcome.template && mustShow?.length) outcome = settled(mustShow[0], 'fallback', outcome.rulesFired);
    } catch {
      outcome = settled(undefined, 'fallback', NO_RULES);
    }
    const fired = rulesFired.length ? [...rulesFired, ...outcome.rulesFired] : outcome.rulesFired;
    return { ...outcome, rulesFired: [...new Set(fired)], fallbackReason: reason };
  }

  private defaultTemplate(context: DecisionContext): OverlayTemplate | undefined {
    const { defaultTemplateId } = this.options;
    const id =
      typeof defaultTemplateId === 'function'
        ? defaultTemplateId(context.showId)
        : defaultTemplateId;
    return id === undefined ? undefined : this.byId.get(id);
  }

  private offerTemplate(context: DecisionContext): OverlayTemplate | undefined {
    return context.offerTemplateId === undefined
      ? undefined
      : this.byId.get(context.offerTemplateId);
  }

  private toDecision(
    context: DecisionContext,
    assignment: ArmAssignment,
    started: number,
    o: Outcome,
  ): Decision {
    const decision: Decision = {
      id: this.nextId(),
      showId: context.showId,
      viewerId: context.viewerId,
      atMs: context.nowMs,
      trigger: context.trigger,
      placement: o.template?.placement ?? 'none',
      tier: o.tier,
      arm: assignment.arm,
      propensity: o.propensity,
      rulesFired: o.rulesFired,
      latencyMs: 0,
    };
    if (o.template) decision.templateId = o.template.id;
    if (assignment.modelVersion !== undefined) decision.modelVersion = assignment.modelVersion;
    if (o.score !== undefined) decision.score = o.score;
    if (o.fallbackReason !== undefined) decision.fallbackReason = o.fallbackReason;
    if (o.ranked) decision.ranked = o.ranked;
    decision.latencyMs = this.now() - started;
    return decision;
  }
}

function settled(
  template: OverlayTemplate | undefined,
  tier: DecisionTier,
  rulesFired: string[],
): Outcome {
  return { template, tier, propensity: 1, rulesFired };
}
