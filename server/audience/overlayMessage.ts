import type { Decision, OverlayTemplate, Placement } from '../decisions/types.js';

/** What the viewer page draws: plain data, rendered there as text only. */
export interface OverlayMessage {
  slot: 'personal' | 'shared';
  placement: Placement;
  decisionId?: string;
  templateId?: string;
  headline?: string;
  body?: string;
  action?: string;
  link?: string;
  imageUrl?: string;
  colours?: OverlayTemplate['colours'];
  /** Word-timed: shown when the viewer's playout reaches this stream time. */
  atStreamTimeMs?: number;
  /** Without a playout clock, show it after this long. */
  fallbackDelayMs?: number;
  /** The viewer page takes it down after this long. */
  ttlMs?: number;
}

const PERSONAL_OVERLAY_TTL_MS = 20_000;

export function overlayMessage(slot: OverlayMessage['slot'], template: OverlayTemplate, extra: Partial<OverlayMessage> = {}): OverlayMessage {
  const { id, placement, headline, body, action, link, image, colours } = template;
  return {
    slot,
    placement,
    templateId: id,
    headline,
    ...(body && { body }),
    ...(action && { action }),
    ...(link && { link }),
    ...(image && { imageUrl: `/overlays/images/${image}` }),
    colours,
    ...extra,
  };
}

/** A decision's CTA for its viewer alone, taken down after `PERSONAL_OVERLAY_TTL_MS`. */
export function decisionMessage(decision: Decision, template: OverlayTemplate, extra: Partial<OverlayMessage> = {}): OverlayMessage {
  return overlayMessage('personal', template, { decisionId: decision.id, ttlMs: PERSONAL_OVERLAY_TTL_MS, ...extra });
}
