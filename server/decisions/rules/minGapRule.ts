import type { OverlayTemplate } from '../types.js';
import type { Rule } from './Rule.js';

/**
 * Per viewer: a template waits at least its `minGapMs` after the viewer's last CTA of any
 * kind. The gap belongs to the viewer, not the template, so it is named once: `min_gap`.
 * A word the script marked is the show's own moment for its CTA: the gap does not hold it
 * back (every other rule, the per-session cap included, still does).
 */
export const minGapRule: Rule = {
  name: 'min_gap',
  apply: (context, candidates, fired) => {
    const last = context.session?.lastCtaAtMs ?? 0;
    if (last <= 0 || context.trigger === 'offer_word') return candidates;
    const sinceMs = context.nowMs - last;
    const kept = candidates.filter((t: OverlayTemplate) => sinceMs >= t.frequencyCap.minGapMs);
    if (kept.length === candidates.length) return candidates;
    fired.push('min_gap');
    return kept;
  },
};
