import { el } from '/client/common/api.js';
import { readableColours } from '/client/viewer/contrast.js';

const MARGIN = 12;
const BADGE_TOP_OFFSET = 36;
/** A region smaller than this holds no card: a card that cannot fit would cover the picture. */
const MIN_BOX_WIDTH = 2 * MARGIN + 96;
const MIN_BOX_HEIGHT = 2 * MARGIN + 28;
/** The lower third wants a band at least this tall before it prefers width. */
const LOWER_THIRD_MIN_HEIGHT = 2 * MARGIN + 60;

/**
 * The overlays drawn over the shared stream: lower-third CTA, side card, badge and poll
 * card. Each placement holds one overlay; a host-pushed (shared) one wins over this viewer's
 * personal one while it is up. Layout keeps every card out of the presenter's face safe area
 * and the burned-in name strap, at any player size: a card with no room is not shown.
 * Text goes in through textContent only, links must be https; colours are made readable.
 */
export class OverlayLayer {
  constructor(root, video, handlers) {
    this.root = root;
    this.video = video;
    this.handlers = handlers;
    this.t = handlers.t ?? ((key) => key);
    this.slots = new Map();
    /** Each card on the page → the overlay it draws (for its impression, once it is seen). */
    this.drawn = new WeakMap();
    this.safeArea = null;
    new ResizeObserver(() => this.layout()).observe(root);
    video.addEventListener('resize', () => this.layout());
  }

  /** The presenter's face and name strap in frame pixels; none for a show without a presenter. */
  setSafeArea(faceSafeArea, frame, nameStrap) {
    this.safeArea = faceSafeArea && frame ? { face: faceSafeArea, frame, strap: nameStrap ?? null } : null;
    this.layout();
  }

  show(overlay) {
    const slot = this.slotFor(overlay.placement);
    slot[overlay.slot] = overlay;
    this.render(overlay.placement);
  }

  /** Clears one of this viewer's (or the shared) overlays; `placement` absent = every placement. */
  clear(slotName, placement) {
    for (const [name, slot] of this.slots) {
      if (placement && name !== placement) continue;
      delete slot[slotName];
      this.render(name);
    }
  }

  /** Takes an overlay down if it is still the one up in its slot. */
  expire(overlay) {
    const slot = this.slotFor(overlay.placement);
    if (slot[overlay.slot] !== overlay) return;
    delete slot[overlay.slot];
    this.render(overlay.placement);
  }

  slotFor(placement) {
    if (!this.slots.has(placement)) this.slots.set(placement, {});
    return this.slots.get(placement);
  }

  render(placement) {
    const slot = this.slotFor(placement);
    const overlay = slot.shared ?? slot.personal;
    this.root.querySelector(`[data-placement="${placement}"]`)?.remove();
    if (!overlay) return;
    const card = overlay.poll ? this.pollCard(overlay.poll) : this.ctaCard(overlay);
    card.dataset.placement = placement;
    card.dataset.slot = overlay === slot.shared ? 'shared' : 'personal';
    card.classList.add('overlay', placement.replaceAll('_', '-'));
    this.drawn.set(card, overlay);
    this.root.append(card);
    this.layout();
  }

  ctaCard(overlay) {
    const link = safeLink(overlay.link);
    const card = el(
      'aside',
      {
        'data-template': overlay.templateId ?? '',
        'aria-label': overlay.headline,
        ...(overlay.language && { lang: overlay.language }),
        ...(overlay.decisionId && { 'data-decision-id': overlay.decisionId }),
      },
      ...(overlay.imageUrl ? [el('img', { src: overlay.imageUrl, alt: '' })] : []),
      el('strong', { text: overlay.headline }),
      ...(overlay.body ? [el('p', { text: overlay.body })] : []),
      ...(overlay.action && link
        ? [el('a', { class: 'action', href: link, target: '_blank', rel: 'noopener noreferrer', text: overlay.action, onclick: () => this.handlers.onClick(overlay) })]
        : []),
      el('button', { type: 'button', class: 'dismiss', 'aria-label': this.t('dismiss'), lang: document.documentElement.lang, text: '×', onclick: () => this.dismiss(overlay) }),
    );
    const colours = readableColours(overlay.colours);
    for (const [name, value] of Object.entries(colours)) card.style.setProperty(`--overlay-${name}`, value);
    return card;
  }

  pollCard(poll) {
    const total = poll.total || 0;
    const voted = poll.votedOption;
    const options = poll.options.map((label, i) =>
      el(
        'button',
        { type: 'button', class: 'poll-option', 'data-option': String(i), ...((poll.state !== 'open' || voted !== undefined) && { disabled: '' }), onclick: () => this.handlers.onVote(poll, i) },
        el('span', { text: label }),
        el('span', { class: 'tally', text: total ? `${Math.round(((poll.tallies[i] ?? 0) * 100) / total)}%` : '' }),
      ),
    );
    const { t } = this;
    const status = poll.state === 'open' ? t(voted !== undefined ? 'poll.voted' : 'poll.open') : poll.result ? t('poll.winner', poll.result) : t('poll.closed');
    return el(
      'aside',
      { 'data-poll-id': poll.id, 'data-state': poll.state, 'aria-label': poll.question },
      el('strong', { text: poll.question }),
      ...options,
      el('small', { class: 'poll-status', role: 'status', text: `${status} · ${t('poll.votes', { count: total })}` }),
    );
  }

  dismiss(overlay) {
    const slot = this.slotFor(overlay.placement);
    if (slot.personal === overlay) delete slot.personal;
    if (slot.shared === overlay) delete slot.shared;
    this.render(overlay.placement);
    if (overlay.decisionId) this.handlers.onDismiss(overlay);
  }

  /**
   * Places cards in the regions the face and the name strap leave free: the lower third at
   * the bottom, side card and badge in the wider side region, the poll card in the other one.
   */
  layout() {
    const regions = this.freeRegions();
    const [wide, narrow] = regions.left.width >= regions.right.width ? [regions.left, regions.right] : [regions.right, regions.left];
    const poll = narrow.width >= 140 ? narrow : wide;
    const boxes = {
      lower_third_cta: { ...regions.bottom, anchor: 'bottom' },
      side_card: { ...wide, anchor: 'middle' },
      // Below the page's connection pill, which sits in the top-left corner.
      badge: { ...wide, y: wide.y + BADGE_TOP_OFFSET, height: Math.max(0, wide.height - BADGE_TOP_OFFSET), anchor: 'top' },
      poll_card: { ...poll, anchor: poll === wide ? 'bottom' : 'middle' },
    };
    for (const card of this.root.querySelectorAll('.overlay')) {
      place(card, boxes[card.dataset.placement]);
      if (!card.hidden) this.seen(this.drawn.get(card));
    }
  }

  /**
   * An impression is a CTA the viewer could see: a card hidden because the player has no room
   * for it (it would cover the face or the name strap) is not one. It counts when a later
   * layout (a bigger player) shows it, once per decision.
   */
  seen(overlay) {
    if (!overlay?.decisionId || overlay.seen) return;
    overlay.seen = true;
    this.handlers.onImpression(overlay);
  }

  /**
   * Free rectangles in the overlay root's CSS pixels: `left` and `right` of the face, `bottom`
   * (the widest band along the picture's bottom edge), none of them over the face or the strap.
   */
  freeRegions() {
    const width = this.root.clientWidth;
    const height = this.root.clientHeight;
    const content = contentBox(this.video, width, height);
    // Without a presenter there is nothing to avoid; the middle still parts the two sides.
    const face = this.safeArea ? scaleRect(this.safeArea.face, this.safeArea.frame, content) : { x: content.x + content.width / 2, y: content.y, width: 0, height: content.height / 2 };
    const strap = this.safeArea?.strap ? scaleRect(this.safeArea.strap, this.safeArea.frame, content) : null;
    const rects = freeRects(content, strap ? [face, strap] : [face]);
    const none = { x: content.x, y: content.y, width: 0, height: 0 };
    const largest = (list) => list.reduce((best, r) => (r.width * r.height > best.width * best.height ? r : best), none);
    const bottomEdge = content.y + content.height;
    const along = rects.filter((r) => Math.abs(r.y + r.height - bottomEdge) < 0.5);
    const tallEnough = along.filter((r) => r.height >= LOWER_THIRD_MIN_HEIGHT);
    return {
      left: largest(rects.filter((r) => r.x + r.width <= face.x + 0.5)),
      right: largest(rects.filter((r) => r.x >= face.x + face.width - 0.5)),
      bottom: tallEnough.length ? tallEnough.reduce((best, r) => (r.width > best.width || (r.width === best.width && r.height > best.height) ? r : best)) : largest(along),
    };
  }
}

/**
 * Every rectangle on the grid of the content's and the obstacles' edges that overlaps no
 * obstacle: few edges (two obstacles), so a few hundred candidates at most.
 */
function freeRects(content, obstacles) {
  const right = content.x + content.width;
  const bottom = content.y + content.height;
  const clampX = (x) => Math.min(right, Math.max(content.x, x));
  const clampY = (y) => Math.min(bottom, Math.max(content.y, y));
  const xs = [...new Set([content.x, right, ...obstacles.flatMap((o) => [clampX(o.x), clampX(o.x + o.width)])])].sort((a, b) => a - b);
  const ys = [...new Set([content.y, bottom, ...obstacles.flatMap((o) => [clampY(o.y), clampY(o.y + o.height)])])].sort((a, b) => a - b);
  const rects = [];
  for (let i = 0; i < xs.length; i++) {
    for (let j = i + 1; j < xs.length; j++) {
      for (let k = 0; k < ys.length; k++) {
        for (let l = k + 1; l < ys.length; l++) {
          const r = { x: xs[i], y: ys[k], width: xs[j] - xs[i], height: ys[l] - ys[k] };
          if (!obstacles.some((o) => overlaps(r, o))) rects.push(r);
        }
      }
    }
  }
  return rects;
}

const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function place(card, box) {
  card.hidden = box.width < MIN_BOX_WIDTH || box.height < MIN_BOX_HEIGHT;
  if (card.hidden) return;
  card.style.left = `${box.x + MARGIN}px`;
  card.style.maxWidth = `${Math.max(0, box.width - 2 * MARGIN)}px`;
  card.style.maxHeight = `${Math.max(0, box.height - 2 * MARGIN)}px`;
  card.style.top = '';
  card.style.bottom = '';
  const cardHeight = Math.min(card.offsetHeight, box.height - 2 * MARGIN);
  const y = box.anchor === 'top' ? box.y + MARGIN : box.anchor === 'bottom' ? box.y + box.height - MARGIN - cardHeight : box.y + (box.height - cardHeight) / 2;
  card.style.top = `${Math.max(box.y + MARGIN, y)}px`;
}

/** Where the video's picture is drawn inside the element (object-fit: contain). */
function contentBox(video, width, height) {
  const frameW = video.videoWidth || 16;
  const frameH = video.videoHeight || 9;
  const scale = Math.min(width / frameW, height / frameH);
  return { x: (width - frameW * scale) / 2, y: (height - frameH * scale) / 2, width: frameW * scale, height: frameH * scale };
}

function scaleRect(rect, frame, content) {
  const sx = content.width / frame.width;
  const sy = content.height / frame.height;
  return { x: content.x + rect.x * sx, y: content.y + rect.y * sy, width: rect.width * sx, height: rect.height * sy };
}

function safeLink(link) {
  try {
    return link && new URL(link).protocol === 'https:' ? link : null;
  } catch {
    return null;
  }
}
