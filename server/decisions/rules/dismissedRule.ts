import { removeEach, type Rule } from './Rule.js';

/** A template the viewer dismissed stays away for the rest of that session. */
export const dismissedRule: Rule = {
  name: 'dismissed',
  apply: (context, candidates, fired) => {
    const dismissed = context.session?.dismissedByTemplate;
    if (!dismissed) return candidates;
    return removeEach('dismissed', candidates, fired, (t) => (dismissed[t.id] ?? 0) > 0);
  },
};
