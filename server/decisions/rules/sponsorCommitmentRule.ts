import type { OverlayTemplate, ShowState } from '../types.js';
import type { Rule } from './Rule.js';

/** Impressions a sponsor template should have by now: guaranteed × elapsed / planned. */
export function pacedTarget(template: OverlayTemplate, show: ShowState): number {
  const guaranteed = template.guaranteedImpressions ?? 0;
  if (guaranteed === 0 || !(show.plannedDurationMs > 0)) return 0;
  const progress = Math.min(1, Math.max(0, show.elapsedMs / show.plannedDurationMs));
  return Math.floor(guaranteed * progress);
}

export function behindSchedule(template: OverlayTemplate, show: ShowState): boolean {
  return (show.impressionsByTemplate[template.id] ?? 0) < pacedTarget(template, show);
}

/**
 * Runs last, on what the filters left: if any eligible sponsor template is behind its pacing
 * schedule, the candidates narrow to those templates (and `none` is no longer an option).
 */
export const sponsorCommitmentRule: Rule = {
  name: 'sponsor_commitment',
  forces: true,
  apply: (context, candidates, fired) => {
    const behind = candidates.filter((t) => behindSchedule(t, context.show));
    if (behind.length === 0) return candidates;
    for (const t of behind) fired.push(`sponsor_commitment:${t.id}`);
    return behind;
  },
};
