import { removeEach, type Rule } from './Rule.js';

/** Hard filter: a template with a language list is shown only to viewers of those languages. */
export const languageRule: Rule = {
  name: 'language',
  apply: (context, candidates, fired) =>
    removeEach(
      'language',
      candidates,
      fired,
      (t) => t.languages !== undefined && !t.languages.includes(context.join.language),
    ),
};
