import { CodedError } from '../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type { KnowledgeBase } from '../../pipeline/knowledge/index.js';
import type { Persona, PersonaCatalog } from '../../pipeline/persona/index.js';
import {
  Autopilot,
  type AutopilotPosition,
  type AutopilotView,
  type Insert,
  type SegmentContext,
} from '../../pipeline/rundown/Autopilot.js';
import type { DataFeeds, FeedStatus } from '../../pipeline/rundown/DataFeeds.js';
import { languageOf, type Rundown } from '../../pipeline/rundown/Rundown.js';
import { RundownError } from '../../pipeline/rundown/RundownError.js';
import { validateRundown } from '../../pipeline/rundown/validateRundown.js';
import { validateSpeechText } from '../../pipeline/tts/text.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import type { ViewerChat } from '../shows/chat/ViewerChat.js';
import type { PollRequest, PollView } from '../shows/polls/Poll.js';
import { CueStage } from './CueStage.js';
import { preppedLines, type PreppedLine } from './rundownPrep.js';

export interface ShowRundownParts {
  showId: string;
  cues: ShowCues;
  personas: PersonaCatalog;
  feeds: DataFeeds | undefined;
  audience(): ShowAudience | undefined;
  launchPoll(request: PollRequest): PollView;
  chat(): ViewerChat | undefined;
  knowledge(): KnowledgeBase;
  /** Whether a CTA (overlay catalog id) exists. */
  ctaExists(id: string): boolean;
}

/** What a takeover needs: the rundown as it was sent, and where the autopilot was. */
export interface RundownSnapshot {
  source: unknown;
  autopilot?: { state: 'playing' | 'paused'; language: string; position: AutopilotPosition };
}

export interface RundownView {
  rundown: Rundown | null;
  autopilot: AutopilotView | null;
  feeds: FeedStatus[];
}

export type ShowRundownEvents = {
  /** The autopilot moved on, changed state, or the rundown was replaced. */
  progress: [autopilot: AutopilotView | null];
};

/**
 * A show's rundown and its autopilot: set (validated against the overlay catalog and the
 * feed allow-list), played, steered by the host, snapshotted for a takeover. The autopilot is
 * a task of its own (`pipeline/rundown/Autopilot.ts`); this gives it the show's cues, polls,
 * chat and data feeds (`CueStage`).
 */
export class ShowRundown extends EnhancedEventEmitter<ShowRundownEvents> {
  private current: { rundown: Rundown; source: unknown } | undefined;
  private autopilot: Autopilot | undefined;
  private stage: CueStage | undefined;
  private closed = false;

  constructor(private readonly parts: ShowRundownParts) {
    super();
  }

  get rundown(): Rundown | undefined {
    return this.current?.rundown;
  }

  /** Replaces the rundown; refused while the autopilot plays one (`AUTOPILOT_RUNNING`). */
  set(input: unknown): Rundown {
    if (this.running)
      throw new RundownError(
        'AUTOPILOT_RUNNING',
        'the autopilot is playing the rundown; stop it first',
      );
    const { feeds, ctaExists, personas, showId } = this.parts;
    const rundown = validateRundown(input, {
      ctaExists,
      feedUrlAllowed: (url) => feeds?.allowed(url) ?? false,
    });
    const voiceless = rundown.languages.find(
      (language) => !personas.list().some((p) => languageOf(p.language) === language),
    );
    if (voiceless) throw new RundownError('RUNDOWN_INVALID', `no persona speaks "${voiceless}"`);
    this.current = { rundown, source: input };
    this.dropAutopilot();
    feeds?.watch(showId, Object.values(rundown.data));
    this.safeEmit('progress', null);
    return rundown;
  }

  view(): RundownView {
    const rundown = this.current?.rundown;
    const feeds = this.parts.feeds;
    return {
      rundown: rundown ?? null,
      autopilot: this.autopilot?.view() ?? null,
      feeds:
        rundown && feeds ? Object.values(rundown.data).map((spec) => feeds.status(spec.url)) : [],
    };
  }

  /** The persona that speaks `language` in this show: the current one if it does, else the catalog's first that does. */
  voiceFor(language: string): Persona {
    const current = this.parts.cues.currentPersona;
    if (languageOf(current.language) === language) return current;
    return this.parts.personas.list().find((p) => languageOf(p.language) === language) ?? current;
  }

  /** Every line with its voice and text now, for show prep and its readiness. */
  lines(): Promise<PreppedLine[]> {
    const rundown = this.requireRundown();
    return preppedLines(
      rundown,
      (language) => this.voiceFor(language),
      (feed) => this.read(feed),
    );
  }

  /** Plays the rundown from its first segment, or from `segment`, in the language of the show's persona. */
  start(options: { segment?: string } = {}): AutopilotView {
    const rundown = this.requireRundown();
    if (this.running)
      throw new RundownError('AUTOPILOT_RUNNING', 'the autopilot is already playing the rundown');
    let segment = 0;
    if (options.segment !== undefined) {
      segment = rundown.segments.findIndex((s) => s.id === options.segment);
      if (segment < 0)
        throw new RundownError(
          'RUNDOWN_SEGMENT_NOT_FOUND',
          `the rundown has no segment ${JSON.stringify(options.segment.slice(0, 40))}`,
        );
    }
    const persona = languageOf(this.parts.cues.currentPersona.language);
    const language = rundown.languages.includes(persona)
      ? persona
      : (rundown.languages[0] ?? persona);
    return this.launch(language, { segment, line: 0, polled: false }, false).view();
  }

  pause(): AutopilotView {
    return this.control((autopilot) => autopilot.pause());
  }

  resume(): AutopilotView {
    return this.control((autopilot) => autopilot.resume());
  }

  skip(): AutopilotView {
    return this.control((autopilot) => autopilot.skip());
  }

  jump(segment: string): AutopilotView {
    return this.control((autopilot) => autopilot.jump(segment));
  }

  stop(): AutopilotView {
    return this.control((autopilot) => autopilot.stop());
  }

  /**
   * `{text}` said as it is, or `{prompt}` through the brain, next; then the rundown goes on.
   * `question: true` with a prompt: answer it from the show's facts.
   */
  insert(body: { text?: unknown; prompt?: unknown; question?: unknown }): AutopilotView {
    if ((body.text === undefined) === (body.prompt === undefined))
      throw new CodedError(
        'INVALID_REQUEST',
        'send either "text" (said as it is) or "prompt" (the presenter decides)',
      );
    if (
      body.question !== undefined &&
      (typeof body.question !== 'boolean' || body.prompt === undefined)
    )
      throw new CodedError(
        'INVALID_REQUEST',
        '"question" is true or false, and goes with "prompt"',
      );
    if (body.prompt !== undefined && !this.parts.cues.thinks)
      throw new CodedError('SHOW_HAS_NO_BRAIN', 'this show takes only scripted cues');
    const insert: Insert =
      body.text !== undefined
        ? { text: validateSpeechText(body.text) }
        : {
            prompt: validateSpeechText(body.prompt),
            ...(body.question === true && { question: true as const }),
          };
    return this.control((autopilot) => autopilot.insert(insert));
  }

  /**
   * The segment the autopilot is on while it plays or is paused, as a prompt sees it: what a
   * host's own prompt knows of the rundown (knownContext.ts); undefined otherwise.
   */
  segmentOnAir(): SegmentContext | undefined {
    const rundown = this.current?.rundown;
    if (!rundown || !this.autopilot || !this.running) return undefined;
    const segment = rundown.segments[this.autopilot.view().position.segment];
    return segment && { title: segment.title, talkingPoints: [...segment.talkingPoints] };
  }

  /** Whether the autopilot started this cue and will replay it from its position after a takeover. */
  ownsCue(cueId: string): boolean {
    return this.stage?.ownCues.has(cueId) ?? false;
  }

  snapshot(): RundownSnapshot | undefined {
    if (!this.current) return undefined;
    const autopilot = this.autopilot;
    const state = autopilot?.state;
    return {
      source: this.current.source,
      ...(autopilot &&
        (state === 'playing' || state === 'paused') && {
          autopilot: { state, language: autopilot.language, position: autopilot.view().position },
        }),
    };
  }

  /** A takeover: the rundown again (validated here), and the autopilot from where it was. */
  restore(snapshot: RundownSnapshot): void {
    const rundown = this.set(snapshot.source);
    const saved = snapshot.autopilot;
    if (!saved) return;
    const position = saved.position;
    if (!rundown.languages.includes(saved.language) && rundown.languages.length > 0)
      throw new RundownError('RUNDOWN_INVALID', `the rundown has no "${saved.language}" lines`);
    if (
      !Number.isInteger(position?.segment) ||
      position.segment < 0 ||
      !Number.isInteger(position.line) ||
      position.line < 0
    )
      throw new RundownError('RUNDOWN_INVALID', 'the saved autopilot position is not one');
    const next =
      Number.isInteger(position.next) && position.next! < rundown.segments.length
        ? { next: position.next! }
        : {};
    this.launch(
      saved.language,
      { segment: position.segment, line: position.line, polled: position.polled === true, ...next },
      saved.state === 'paused',
    );
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.dropAutopilot();
    this.parts.feeds?.unwatch(this.parts.showId);
    this.removeAllListeners();
  }

  private get running(): boolean {
    const state = this.autopilot?.state;
    return state === 'playing' || state === 'paused';
  }

  private launch(language: string, from: AutopilotPosition, paused: boolean): Autopilot {
    const rundown = this.requireRundown();
    this.dropAutopilot();
    const { cues, audience, launchPoll, chat, knowledge, feeds } = this.parts;
    const stage = new CueStage({
      cues,
      rundown,
      voiceFor: (l) => this.voiceFor(l),
      audience,
      launchPoll,
      chat,
      knowledge,
      feeds,
    });
    const autopilot = new Autopilot({ rundown, language, stage, from, paused });
    autopilot.on('progress', (view) => this.safeEmit('progress', view));
    this.stage = stage;
    this.autopilot = autopilot;
    return autopilot;
  }

  private dropAutopilot(): void {
    this.autopilot?.stop();
    this.autopilot?.removeAllListeners();
    this.stage?.close();
    this.autopilot = undefined;
    this.stage = undefined;
  }

  private control(action: (autopilot: Autopilot) => void): AutopilotView {
    const autopilot = this.autopilot;
    if (!autopilot)
      throw new RundownError('AUTOPILOT_NOT_RUNNING', 'the autopilot has not been started');
    action(autopilot);
    return autopilot.view();
  }

  private requireRundown(): Rundown {
    if (!this.current)
      throw new RundownError('RUNDOWN_NOT_SET', 'the show has no rundown; PUT one first');
    return this.current.rundown;
  }

  private read(feed: string): Promise<unknown> {
    const { feeds } = this.parts;
    const spec =
      this.current && Object.hasOwn(this.current.rundown.data, feed)
        ? this.current.rundown.data[feed]
        : undefined;
    return spec && feeds ? feeds.read(spec.url) : Promise.resolve(undefined);
  }
}
