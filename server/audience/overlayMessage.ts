import type { Decision, OverlayTemplate, OverlayText, Placement } from '../decisions/types.js';
import { localizedText } from '../overlays/templateLanguages.js';

/** What the viewer page draws: plain data, rendered there as text only. */
export interface OverlayMessage {
  slot: 'personal' | 'shared';
  placement: Placement;
  decisionId?: string;
  templateId?: string;
  /** The language the words are in, when the catalog says (the page marks the card with it). */
  language?: string;
  headline?: string;
  body?: string;
  action?: string;
  link?: string;
  imageUrl?: string;
  colours?: OverlayTemplate['colours'];
  /**
   * A shared (host) overlay's words in other languages, as a catalog entry carries them: one
   * message goes to every viewer, and the viewer page shows the viewer's (client/viewer/i18n.js).
   */
  translations?: Record<string, OverlayText>;
  /** Word-timed: shown when the viewer's playout reaches this stream time. */
  atStreamTimeMs?: number;
  /** Without a playout clock, show it after this long. */
  fallbackDelayMs?: number;
  /** The viewer page takes it down after this long. */
  ttlMs?: number;
}

const PERSONAL_OVERLAY_TTL_MS = 20_000;

/** `language`: the viewer's, for the template's translation into it (if any). */
export function overlayMessage(slot: OverlayMessage['slot'], template: OverlayTemplate, extra: Partial<OverlayMessage> = {}, language?: string): OverlayMessage {
  const { id, placement, image, colours } = template;
  const { headline, body, action, link, language: written } = localizedText(template, language);
  return {
    slot,
    placement,
    templateId: id,
    ...(written && { language: written }),
    headline,
    ...(body && { body }),
    ...(action && { action }),
    ...(link && { link }),
    ...(image && { imageUrl: `/overlays/images/${image}` }),
    colours,
    ...extra,
  };
}

/** A decision's CTA for its viewer alone, in the viewer's language, taken down after `PERSONAL_OVERLAY_TTL_MS`. */
export function decisionMessage(decision: Decision, template: OverlayTemplate, extra: Partial<OverlayMessage> = {}, language?: string): OverlayMessage {
  return overlayMessage('personal', template, { decisionId: decision.id, ttlMs: PERSONAL_OVERLAY_TTL_MS, ...extra }, language);
}
