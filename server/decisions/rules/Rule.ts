import type { DecisionContext, OverlayTemplate } from '../types.js';

/**
 * One eligibility rule. `apply` returns the candidates that survive and appends a name to
 * `fired` for what it removed (or, for a forcing rule, for what it forced).
 */
export interface Rule {
  readonly name: string;
  /** A forcing rule narrows to what must be shown, so `none` stops being an option. */
  readonly forces?: boolean;
  apply(
    context: DecisionContext,
    candidates: readonly OverlayTemplate[],
    fired: string[],
  ): readonly OverlayTemplate[];
}

/** Removes the templates `blocks` says no to, naming each `<name>:<id>`. */
export function removeEach(
  name: string,
  candidates: readonly OverlayTemplate[],
  fired: string[],
  blocks: (template: OverlayTemplate) => boolean,
): readonly OverlayTemplate[] {
  let kept: OverlayTemplate[] | undefined;
  candidates.forEach((template, i) => {
    if (!blocks(template)) {
      kept?.push(template);
      return;
    }
    kept ??= candidates.slice(0, i);
    fired.push(`${name}:${template.id}`);
  });
  return kept ?? candidates;
}
