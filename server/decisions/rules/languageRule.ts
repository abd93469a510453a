import { templateLanguages } from '../../overlays/templateLanguages.js';
import { removeEach, type Rule } from './Rule.js';

/**
 * Hard filter: a template that names its languages (a `languages` list, or the languages it
 * has text in) is shown only to viewers of one of them; one that names none, to anyone.
 */
export const languageRule: Rule = {
  name: 'language',
  apply: (context, candidates, fired) =>
    removeEach('language', candidates, fired, (t) => {
      const languages = templateLanguages(t);
      return languages !== undefined && !languages.includes(context.join.language);
    }),
};
