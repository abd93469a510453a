import { el } from '/client/common/api.js';

const MARGIN = 12;
const BADGE_TOP_OFFSET = 36;

/**
 * The overlays drawn over the shared stream: lower-third CTA, side card, badge and poll
 * card. Each placement holds one overlay; a host-pushed (shared) one wins over this viewer's
 * personal one while it is up. Layout keeps every card out of the presenter's face safe area.
 * Text goes in through textContent only, links must be https.
 */
export class OverlayLayer {
  constructor(root, video, handlers) {
    this.root = root;
    this.video = video;
    this.handlers = handlers;
    this.slots = new Map();
    this.safeArea = null;
    new ResizeObserver(() => this.layout()).observe(root);
    video.addEventListener('resize', () => this.layout());
  }

  /** The presenter's face in frame pixels; none for a show without a presenter. */
  setSafeArea(faceSafeArea, frame) {
    this.safeArea = faceSafeArea && frame ? { face: faceSafeArea, frame } : null;
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
    this.root.append(card);
    this.layout();
    if (overlay.decisionId && !overlay.seen) {
      overlay.seen = true;
      this.handlers.onImpression(overlay);
    }
  }

  ctaCard(overlay) {
    const link = safeLink(overlay.link);
    const card = el(
      'aside',
      { 'data-template': overlay.templateId ?? '', ...(overlay.decisionId && { 'data-decision-id': overlay.decisionId }) },
      ...(overlay.imageUrl ? [el('img', { src: overlay.imageUrl, alt: '' })] : []),
      el('strong', { text: overlay.headline }),
      ...(overlay.body ? [el('p', { text: overlay.body })] : []),
      ...(overlay.action && link
        ? [el('a', { class: 'action', href: link, target: '_blank', rel: 'noopener noreferrer', text: overlay.action, onclick: () => this.handlers.onClick(overlay) })]
        : []),
      el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', text: '×', onclick: () => this.dismiss(overlay) }),
    );
    const { background, text, accent } = overlay.colours ?? {};
    if (background) card.style.setProperty('--overlay-bg', background);
    if (text) card.style.setProperty('--overlay-fg', text);
    if (accent) card.style.setProperty('--overlay-accent', accent);
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
    const status = poll.state === 'open' ? (voted !== undefined ? 'Thanks for voting' : 'Vote now') : poll.result ? `Winner: ${poll.result.label} (${poll.result.percent}%)` : 'Closed';
    return el('aside', { 'data-poll-id': poll.id }, el('strong', { text: poll.question }), ...options, el('small', { class: 'poll-status', text: `${status} · ${total} votes` }));
  }

  dismiss(overlay) {
    const slot = this.slotFor(overlay.placement);
    if (slot.personal === overlay) delete slot.personal;
    if (slot.shared === overlay) delete slot.shared;
    this.render(overlay.placement);
    if (overlay.decisionId) this.handlers.onDismiss(overlay);
  }

  /**
   * Places cards in the regions the face leaves free: the lower third below the face, side
   * card and badge in the wider side region, the poll card in the other one.
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
    for (const card of this.root.querySelectorAll('.overlay')) place(card, boxes[card.dataset.placement]);
  }

  /** Free rectangles around the face, in the overlay root's CSS pixels. */
  freeRegions() {
    const width = this.root.clientWidth;
    const height = this.root.clientHeight;
    const content = contentBox(this.video, width, height);
    const face = this.safeArea ? scaleRect(this.safeArea.face, this.safeArea.frame, content) : { x: width / 2, y: 0, width: 0, height: height / 2 };
    const top = content.y;
    const bottomOfFace = face.y + face.height;
    return {
      left: { x: content.x, y: top, width: Math.max(0, face.x - content.x), height: content.height },
      right: { x: face.x + face.width, y: top, width: Math.max(0, content.x + content.width - face.x - face.width), height: content.height },
      bottom: { x: content.x, y: bottomOfFace, width: content.width, height: Math.max(0, content.y + content.height - bottomOfFace) },
    };
  }
}

function place(card, box) {
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
