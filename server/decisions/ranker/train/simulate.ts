import { mulberry32 } from '../../../../lib/prng.js';
import { RuleSet } from '../../rules/RuleSet.js';
import type { OverlayTemplate } from '../../types.js';
import { trueClickProbability } from './clickModel.js';
import { randomContext } from './contextGenerator.js';
import { LOGGING_EPSILON, loggingProbabilities } from './loggingPolicy.js';
import type { LoggedDecision } from './rankerLogs.js';

export interface SimulationOptions {
  seed: number;
  decisions: number;
  epsilon?: number;
}

function drawAction(random: () => number, probabilities: readonly number[]): number {
  let u = random();
  for (let a = 0; a < probabilities.length; a++) {
    u -= probabilities[a]!;
    if (u < 0) return a;
  }
  return probabilities.length - 1;
}

/**
 * Seeded logs as the logging policy would have produced them: random contexts through the
 * real rules, an action drawn from the logging policy, and a click drawn from the ground
 * truth (clickModel.ts). Decisions the rules left empty carry no choice and are skipped.
 */
export function simulateLogs(
  catalog: readonly OverlayTemplate[],
  options: SimulationOptions,
): LoggedDecision[] {
  // The simulated world (its click model included) knows one copy per template, shown where
  // its `languages` list allows: the committed logs and rankers were made in it. Translated
  // copies (`language`, `translations`) stay out of it until the simulator models them.
  const templates = catalog.map(({ language: _language, translations: _translations, ...template }) => template);
  const random = mulberry32(options.seed);
  const rules = new RuleSet();
  const rows: LoggedDecision[] = [];
  while (rows.length < options.decisions) {
    const context = randomContext(random, templates, { rankerTriggersOnly: true });
    const { eligible, forced } = rules.apply(context, templates);
    if (eligible.length === 0) continue;
    const probabilities = loggingProbabilities(
      context,
      eligible,
      !forced,
      options.epsilon ?? LOGGING_EPSILON,
    );
    const action = drawAction(random, probabilities);
    const template = eligible[action];
    const clicked = template && random() < trueClickProbability(context, template) ? 1 : 0;
    rows.push({
      context,
      candidates: eligible.map((t) => t.id),
      noneAllowed: !forced,
      action: template?.id ?? 'none',
      placement: template?.placement ?? 'none',
      propensity: probabilities[action]!,
      clicked,
    });
  }
  return rows;
}
