import type { RecordingTimeline, SpokenCue } from '../../pipeline/recording/RecordingTimeline.js';
import type { OverlayMessage } from '../audience/overlayMessage.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { PollResult, PollView } from '../shows/polls/Poll.js';
import type { Show } from '../shows/Show.js';

/**
 * Feeds a recording's timeline from its show: each cue that goes on air (a chapter), each
 * word-timed offer, and what every viewer saw from the audience: the shared overlay and the
 * polls with their tallies. Audience events carry no stream time; they are placed at the
 * frame the lane produces when they happen. Returns the unsubscribe.
 */
export function followShow(show: Show, audience: ShowAudience | undefined, timeline: RecordingTimeline): () => void {
  const now = () => show.lane.streamTimeMs;
  const unsubscribes: Array<() => void> = [];
  const { cues } = show;
  if (cues) {
    const onStatus = (cue: SpokenCue) => timeline.cue(cue);
    const onOffer = (cueId: string, offer: { word: string; overlay: string; streamTimeMs: number }) =>
      timeline.mark({ type: 'offer', cueId, word: offer.word, overlay: offer.overlay }, offer.streamTimeMs);
    cues.on('status', onStatus);
    cues.on('offerword', onOffer);
    unsubscribes.push(() => (cues.off('status', onStatus), cues.off('offerword', onOffer)));
  }
  if (audience) {
    const opened = new Set<string>();
    const onPoll = (poll: PollView) => {
      if (opened.has(poll.id)) return timeline.mark({ type: 'poll-tally', pollId: poll.id, tallies: poll.tallies, total: poll.total }, now());
      opened.add(poll.id);
      timeline.mark({ type: 'poll-opened', pollId: poll.id, question: poll.question, options: poll.options }, now());
    };
    const onClosed = (poll: PollView, result: PollResult) =>
      timeline.mark({ type: 'poll-closed', pollId: poll.id, tallies: poll.tallies, total: poll.total, winner: { label: result.label, percent: result.percent } }, now());
    const onBroadcast = (event: string, payload: unknown) => {
      if (event !== 'overlay') return;
      // The shared slot: an overlay for everyone, or `placement: 'none'` when the host took it down.
      const { placement, headline, body, action, templateId } = payload as OverlayMessage;
      if (placement === 'none') return timeline.mark({ type: 'overlay-cleared' }, now());
      timeline.mark({ type: 'overlay', placement, ...(headline && { headline }), ...(body && { body }), ...(action && { action }), ...(templateId && { templateId }) }, now());
    };
    // A poll already open when recording starts is on screen from the first picture.
    const open = audience.polls.open;
    if (open) onPoll(open.view());
    audience.polls.on('update', onPoll);
    audience.polls.on('closed', onClosed);
    audience.on('broadcast', onBroadcast);
    unsubscribes.push(() => (audience.polls.off('update', onPoll), audience.polls.off('closed', onClosed), audience.off('broadcast', onBroadcast)));
  }
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
