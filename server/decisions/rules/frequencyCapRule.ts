import { removeEach, type Rule } from './Rule.js';

/** Per viewer: at most `maxPerSession` impressions of a template in a session. */
export const frequencyCapRule: Rule = {
  name: 'frequency_cap',
  apply: (context, candidates, fired) => {
    const shown = context.session?.shownByTemplate;
    if (!shown) return candidates;
    return removeEach(
      'frequency_cap',
      candidates,
      fired,
      (t) => (shown[t.id] ?? 0) >= t.frequencyCap.maxPerSession,
    );
  },
};
