// What the sidecar's timeline says is on screen at a moment of a recording: the shared
// overlay, the poll (open, then its result for a while), offers just spoken, the chapter.
// Plain functions of (sidecar, ms) so the page only draws what they return.

/** An offer's CTA stays up this long in the replay; a closed poll's result this long. */
const OFFER_SHOWN_MS = 8_000;
const RESULT_SHOWN_MS = 6_000;

export function activeAt(sidecar, atMs) {
  const before = sidecar.timeline.filter((entry) => entry.atMs <= atMs);
  const shared = before.findLast((entry) => entry.type === 'overlay' || entry.type === 'overlay-cleared');
  const opened = before.findLast((entry) => entry.type === 'poll-opened');
  const pollEvents = opened ? before.filter((entry) => entry.pollId === opened.pollId) : [];
  const closed = pollEvents.find((entry) => entry.type === 'poll-closed');
  const tally = pollEvents.findLast((entry) => entry.type !== 'poll-opened');
  const pollShown = opened && (!closed || atMs - closed.atMs < RESULT_SHOWN_MS);
  return {
    overlay: shared?.type === 'overlay' ? shared : null,
    poll: pollShown ? { ...opened, tallies: tally?.tallies ?? opened.options.map(() => 0), closed: closed ?? null } : null,
    offers: before.filter((entry) => entry.type === 'offer' && atMs - entry.atMs < OFFER_SHOWN_MS),
    chapter: sidecar.chapters.findLast((chapter) => chapter.atMs <= atMs) ?? null,
  };
}

/** One marker per chapter and per timeline event worth a look (tallies are drawn through their poll). */
export function markers(sidecar) {
  const chapters = sidecar.chapters.map((chapter) => ({ type: 'chapter', atMs: chapter.atMs, label: `Chapter: ${chapter.text || chapter.prompt || ''}` }));
  const events = sidecar.timeline
    .filter((entry) => entry.type !== 'poll-tally')
    .map((entry) => ({ type: entry.type, atMs: entry.atMs, label: describe(entry) }));
  return [...chapters, ...events].sort((a, b) => a.atMs - b.atMs);
}

export function describe(entry) {
  switch (entry.type) {
    case 'overlay':
      return `Overlay: ${entry.headline ?? entry.templateId ?? entry.placement}`;
    case 'overlay-cleared':
      return 'Overlay taken down';
    case 'poll-opened':
      return `Poll: ${entry.question}`;
    case 'poll-closed':
      return `Poll closed${entry.winner ? `: ${entry.winner.label} (${entry.winner.percent}%)` : ''}`;
    case 'offer':
      return `Offer "${entry.word}" → ${entry.overlay}`;
    default:
      return entry.type;
  }
}
