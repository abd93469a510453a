import { FINAL_STATES, type Cue } from '../../pipeline/cues/Cue.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type {
  AutopilotStage,
  LineOutcome,
  SegmentContext,
} from '../../pipeline/rundown/Autopilot.js';
import type { DataFeeds } from '../../pipeline/rundown/DataFeeds.js';
import type { Rundown, RundownLine, RundownPoll } from '../../pipeline/rundown/Rundown.js';
import type { KnowledgeBase } from '../../pipeline/knowledge/index.js';
import type { Persona } from '../../pipeline/persona/index.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { ChatLine, ViewerChat } from '../shows/chat/ViewerChat.js';
import type { PollRequest, PollView } from '../shows/polls/Poll.js';
import { answerViewerQuestion } from './viewerQuestion.js';

/** A viewer question older than this is no longer "waiting": the moment has passed. */
const QUESTION_FRESH_MS = 5 * 60_000;

export interface CueStageParts {
  cues: ShowCues;
  rundown: Rundown;
  /** The persona that speaks a language in this show (ShowRundown.voiceFor). */
  voiceFor(language: string): Persona;
  audience(): ShowAudience | undefined;
  /** Launches a poll the way the host's poll route does, announced by the presenter. */
  launchPoll(request: PollRequest): PollView;
  chat(): ViewerChat | undefined;
  /** The show's facts, which answers to viewers are grounded in (replaced when the host sets new ones). */
  knowledge(): KnowledgeBase;
  feeds: DataFeeds | undefined;
}

/**
 * The autopilot's stage on a live show: lines and prompts become the show's cues (their
 * speech from the voice cache where prep put it), polls open on its audience (closing steers
 * the show as a host's poll does), questions come from its viewer chat, data from the feeds'
 * cache. It remembers the cues it started, so a snapshot does not list them twice.
 */
export class CueStage implements AutopilotStage {
  /** Cues the autopilot started that have not ended: a takeover replays them from the position. */
  readonly ownCues = new Set<string>();
  private readonly answered = new Set<string>();

  private readonly forgetEnded = (cue: Cue) => {
    if (FINAL_STATES.includes(cue.state)) this.ownCues.delete(cue.id);
  };

  constructor(private readonly parts: CueStageParts) {
    parts.cues.on('status', this.forgetEnded);
  }

  close(): void {
    this.parts.cues.off('status', this.forgetEnded);
  }

  say(
    line: { text: string; offer?: RundownLine['offer'] },
    language: string,
    signal: AbortSignal,
  ): Promise<LineOutcome> {
    const offer = line.offer && { word: line.offer.word, overlay: line.offer.cta };
    return this.follow(
      this.parts.cues.submit(line.text, this.parts.voiceFor(language).id, offer),
      signal,
    );
  }

  prompt(
    prompt: string,
    segment: SegmentContext,
    signal: AbortSignal,
    question = false,
  ): Promise<LineOutcome> {
    const topic = this.parts.audience()?.topic;
    // A question (said so, or read so by the intent model) is answered from the show's facts.
    const intent = question ? ('answer_question' as const) : undefined;
    return this.follow(
      this.parts.cues.prompt(
        prompt,
        undefined,
        { segment, ...(topic !== undefined && { topic }) },
        intent,
      ),
      signal,
    );
  }

  poll(poll: RundownPoll, signal: AbortSignal): Promise<number | undefined> {
    const audience = this.parts.audience();
    if (!audience) return Promise.resolve(undefined);
    const view = this.parts.launchPoll({
      question: poll.question,
      options: poll.options.map(({ label }) => ({ label })),
      durationMs: poll.durationMs,
    });
    return new Promise((resolve) => {
      const finish = (winner: number | undefined) => {
        audience.polls.off('closed', onClosed);
        signal.removeEventListener('abort', onAbort);
        resolve(winner);
      };
      const onClosed = (closed: PollView, result: { winner: number; total: number }) => {
        if (closed.id === view.id) finish(result.total > 0 ? result.winner : undefined);
      };
      const onAbort = () => finish(undefined);
      audience.polls.on('closed', onClosed);
      signal.addEventListener('abort', onAbort, { once: true });
      if (signal.aborted) onAbort();
    });
  }

  async answerQuestion(
    segment: SegmentContext,
    signal: AbortSignal,
  ): Promise<LineOutcome | undefined> {
    const line = this.waitingQuestion();
    if (!line) return undefined;
    this.answered.add(line.id);
    const chat = this.parts.chat();
    return this.follow(
      answerViewerQuestion(
        { cues: this.parts.cues, knowledge: this.parts.knowledge(), ...(chat && { chat }) },
        line,
        segment,
      ),
      signal,
    );
  }

  async data(feed: string): Promise<unknown> {
    const spec = Object.hasOwn(this.parts.rundown.data, feed)
      ? this.parts.rundown.data[feed]
      : undefined;
    if (!spec || !this.parts.feeds) return undefined;
    return this.parts.feeds.read(spec.url);
  }

  /** The oldest fresh chat question the safety check let through and nobody answered yet. */
  private waitingQuestion(): ChatLine | undefined {
    const since = Date.now() - QUESTION_FRESH_MS;
    return this.parts
      .chat()
      ?.list()
      .find((line) => line.question && line.at >= since && !this.answered.has(line.id));
  }

  /** Resolves with the cue's end, or when `signal` aborts (the cue plays on). */
  private follow(cue: Cue, signal: AbortSignal): Promise<LineOutcome> {
    const { cues } = this.parts;
    this.ownCues.add(cue.id);
    return new Promise((resolve) => {
      const finish = (outcome: LineOutcome) => {
        cues.off('status', onStatus);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onStatus = (status: Cue) => {
        if (status.id !== cue.id || !FINAL_STATES.includes(status.state)) return;
        finish(status.state as LineOutcome);
      };
      const onAbort = () => finish('left');
      cues.on('status', onStatus);
      signal.addEventListener('abort', onAbort, { once: true });
      const now = cues.get(cue.id);
      if (now) {
        onStatus(now);
        this.forgetEnded(now);
      }
      if (signal.aborted) onAbort();
    });
  }
}
