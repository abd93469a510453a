import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type { PollRequest, PollResult, PollView } from '../shows/polls/Poll.js';
import type { ShowAudience } from './ShowAudience.js';

/**
 * Polls steer the show: the presenter announces a launched poll, and on close the result
 * enters the pipeline as a `poll_result` cue, then the next segment follows the winner.
 */
export function steerByPolls(audience: ShowAudience, cues: ShowCues): void {
  audience.polls.on('closed', (poll, result, request) => {
    audience.topic = result.label;
    if (result.total === 0) return;
    announceResult(cues, poll, result);
    nextSegment(cues, request, result);
  });
}

export function announcePoll(cues: ShowCues, poll: PollView): void {
  // The announcement reads the question and every option ({pollQuestion}, {pollOptions}).
  if (cues.thinks) cues.prompt(`Announce the poll: ${poll.question}`, undefined, { poll: { question: poll.question, options: poll.options } }, 'announce_poll');
  else cues.submit(`Quick poll: ${poll.question} ${poll.options.join(', ')}. Vote now!`);
}

function announceResult(cues: ShowCues, poll: PollView, result: PollResult): void {
  const pollResult = { question: poll.question, winner: result.label, percent: result.percent };
  if (cues.thinks) cues.prompt(`Announce the poll result: ${result.label}`, undefined, { pollResult, topic: result.label }, 'poll_result');
  else cues.submit(`The results are in: ${result.label} wins with ${result.percent} percent of the vote.`);
}

function nextSegment(cues: ShowCues, request: PollRequest, result: PollResult): void {
  const segment = request.options[result.winner]?.segment ?? `Talk about ${result.label}`;
  if (cues.thinks) cues.prompt(segment, undefined, { topic: result.label });
}
