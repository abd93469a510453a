import { CodedError } from '../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { Brain } from '../brain/Brain.js';
import type { StageTrace, TraceObserver } from '../brain/StageTrace.js';
import type { Intent } from '../intent/intents.js';
import type { KnowledgeFact } from '../knowledge/KnowledgeFact.js';
import type { PresenterSource } from '../lanes/live/PresenterSource.js';
import type { SpeechCache } from '../lanes/live/SpeechCache.js';
import type { Persona, PersonaCatalog } from '../persona/index.js';
import { scriptLanguageOf, type ScriptLanguage, type ShowContext } from '../script/index.js';
import { validateSpeechText } from '../tts/text.js';
import type { TtsEngine } from '../tts/TtsEngine.js';
import { INTERRUPTED, type Cue, type CueOffer } from './Cue.js';
import { CueApproval } from './CueApproval.js';
import { CuePreparer } from './CuePreparer.js';
import { CueRegistry, type CueRequest } from './CueRegistry.js';
import { CueThinking } from './CueThinking.js';
import { EncodeStage } from './EncodeStage.js';
import { FallbackLadder } from './FallbackLadder.js';
import { LaneScheduler } from './LaneScheduler.js';
import { validateOffer } from './offerWord.js';
import { SpeechAssembly } from './SpeechAssembly.js';

export type ShowCuesEvents = {
  status: [cue: Cue];
  /** A marked offer word is on air: it is spoken at `offer.streamTimeMs`. */
  offerword: [cueId: string, offer: Required<CueOffer>];
};

export interface ShowCuesOptions {
  showId: string;
  tts: TtsEngine;
  presenter: PresenterSource;
  personas: PersonaCatalog;
  persona: Persona;
  /** The batch lane's voice cache; without one every line is synthesized. */
  speechCache?: SpeechCache;
  /** The thinking stages; without them the show takes only `say` cues. */
  brain?: Brain;
  traceObserver?: TraceObserver;
}

/**
 * A show's cues, as the host drives them. `say` cues go text → speech → the presenter;
 * `prompt` cues go through the brain first, one sentence at a time, so the first sentence
 * is on air while the rest is written. The work lives in the units: the registry (records,
 * status events), thinking, approval, speech assembly and its fallback ladder, and the lane
 * scheduler, run in arrival order by the preparer.
 */
export class ShowCues extends EnhancedEventEmitter<ShowCuesEvents> {
  private readonly registry: CueRegistry;
  private readonly approval: CueApproval;
  private readonly encode = new EncodeStage();
  private readonly lane: LaneScheduler;
  private readonly preparer: CuePreparer;
  private persona: Persona;
  /**
   * What the show knows that every prompt should (title, topic, rundown segment): read when a
   * prompt cue is made, under the cue's own context, which wins field by field.
   */
  knownContext: (() => ShowContext) | undefined;
  /**
   * The show's facts that answer a question, in the presenter's language (docs/knowledge.md):
   * a prompt the intent model reads as a question (`answer_question`) is answered from them
   * as a viewer's question is. Without it, such a prompt is not grounded.
   */
  knownFacts: ((question: string, language: ScriptLanguage | undefined) => readonly KnowledgeFact[]) | undefined;

  constructor(private readonly options: ShowCuesOptions) {
    super();
    const { showId, tts, presenter, speechCache, brain, traceObserver } = options;
    this.persona = options.persona;
    this.registry = new CueRegistry(showId, traceObserver);
    this.approval = new CueApproval(this.registry);
    this.lane = new LaneScheduler(presenter, this.registry, this.encode);
    const ladder = new FallbackLadder(new SpeechAssembly(tts, speechCache, showId), presenter);
    const thinking = brain && new CueThinking(brain, this.registry, (question, persona) => this.knownFacts?.(question, scriptLanguageOf(persona)));
    this.preparer = new CuePreparer({ registry: this.registry, approval: this.approval, ladder, lane: this.lane, ...(thinking && { thinking }) });
    this.registry.on('status', (cue) => this.safeEmit('status', cue));
    this.lane.on('offerword', (cueId, offer) => this.safeEmit('offerword', cueId, offer));
  }

  /** Generated lines wait for the host's approval before they are spoken. */
  get approvalMode(): boolean {
    return this.approval.enabled;
  }

  set approvalMode(enabled: boolean) {
    this.approval.enabled = enabled;
  }

  get currentPersona(): Persona {
    return this.persona;
  }

  /** The id of the cue on air. */
  get speaking(): string | undefined {
    return this.lane.speaking?.cue.id;
  }

  get faceSafeArea() {
    return this.options.presenter.faceSafeArea;
  }

  get thinks(): boolean {
    return this.options.brain !== undefined;
  }

  /** Takes effect at the next cue; the stream is not restarted. */
  setPersona(id: string): Persona {
    this.persona = this.options.personas.get(id);
    return this.persona;
  }

  /** The host's own words, spoken as they are (never through the approval queue). */
  submit(text: unknown, personaId?: string, offer?: unknown): Cue {
    const spoken = validateSpeechText(text);
    return this.start({ kind: 'say', text: spoken, ...(offer !== undefined && { offer: validateOffer(offer, spoken) }) }, personaId, {}, undefined);
  }

  /**
   * "Talk about the new lens": the brain decides what to say. `hostIntent` is the host's
   * own reading of the prompt (answering a picked viewer question); off-policy text is
   * still refused whatever the host chose.
   */
  prompt(prompt: unknown, personaId?: string, context: ShowContext = {}, hostIntent?: Intent, offer?: unknown): Cue {
    if (!this.options.brain) throw new CodedError('SHOW_HAS_NO_BRAIN', 'this show takes only scripted cues');
    const text = validateSpeechText(prompt);
    const known = { ...this.knownContext?.(), ...context };
    const answer = known.facts && { status: known.facts.length > 0 ? ('answered' as const) : ('abstained' as const), facts: known.facts.map((fact) => fact.id), strayed: 0 };
    return this.start({ kind: 'prompt', text, ...(offer !== undefined && { offer: validateOffer(offer) }), ...(answer && { answer }) }, personaId, known, hostIntent);
  }

  /** Burns `text` into the lower third for a while (a host's shared overlay). */
  caption(text: string, durationMs = 15_000): void {
    this.options.presenter.caption(text, durationMs);
  }

  /** Approves a generated line (optionally edited) or, with `null`, rejects it. */
  decide(cueId: string, decision: { text: unknown } | null): Cue {
    this.approval.decide(cueId, decision);
    return this.registry.get(cueId)!;
  }

  /**
   * Stops what is being said within a frame and drops every waiting cue: each cue's abort
   * cancels its running and queued work. Returns the cues that were on the presenter; they
   * end with its next frame, the rest end here.
   */
  interrupt(): string[] {
    this.encode.clear();
    const onPresenter = this.lane.interrupt();
    for (const flight of this.registry.inFlight()) {
      flight.abort();
      if (!onPresenter.includes(flight)) this.registry.finish(flight, INTERRUPTED);
    }
    return onPresenter.map((flight) => flight.cue.id);
  }

  /** The show's SFU ingest got an audio packet: the first speech-sized one ends the encode stage. */
  audioReachedSfu(packetBytes: number): void {
    this.encode.audioReachedSfu(packetBytes);
  }

  get(id: string): Cue | undefined {
    return this.registry.get(id);
  }

  trace(id: string): StageTrace | undefined {
    return this.registry.trace(id);
  }

  list(): Cue[] {
    return this.registry.list();
  }

  private start(request: CueRequest, personaId: string | undefined, context: ShowContext, hostIntent: Intent | undefined): Cue {
    const ingressStartMs = performance.now();
    const persona = personaId === undefined ? this.persona : this.options.personas.get(personaId);
    const flight = this.registry.open(request, persona, ingressStartMs);
    this.preparer.prepare(flight, context, hostIntent);
    return this.registry.get(flight.cue.id)!;
  }
}
