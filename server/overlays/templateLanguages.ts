import type { OverlayTemplate, OverlayText } from '../decisions/types.js';

/**
 * The languages a template may be shown in: its `languages` list when it has one, else the
 * languages it has text in, else undefined (an older entry that names none: any viewer).
 */
export function templateLanguages(template: OverlayTemplate): readonly string[] | undefined {
  if (template.languages) return template.languages;
  if (template.language === undefined) return undefined;
  return [template.language, ...Object.keys(template.translations ?? {})];
}

/** The words a viewer of `language` reads: its translation if the template has one, else the template's own. */
export function localizedText(template: OverlayTemplate, language: string | undefined): OverlayText & { language?: string } {
  const translation = language === undefined ? undefined : template.translations?.[language];
  if (translation) return { link: template.link, ...translation, language: language! };
  const { headline, body, action, link } = template;
  return { headline, body, action, link, ...(template.language && { language: template.language }) };
}
