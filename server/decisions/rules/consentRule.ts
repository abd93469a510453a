import { removeEach, type Rule } from './Rule.js';

/** Hard filter: personalised templates only for viewers who consented. */
export const consentRule: Rule = {
  name: 'consent',
  apply: (context, candidates, fired) =>
    removeEach('consent', candidates, fired, (t) => t.requiresConsent && !context.join.consent),
};
