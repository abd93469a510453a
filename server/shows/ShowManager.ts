import { randomBytes } from 'node:crypto';
import { CodedError } from '../../lib/errors/CodedError.js';
import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { FastifyBaseLogger } from 'fastify';
import type { EncoderSettings } from '../../pipeline/encode/EncoderSettings.js';
import type { VideoEncoderChoice } from '../../pipeline/encode/selectVideoEncoder.js';
import type { MediaSource } from '../../lib/media/MediaSource.js';
import { PresenterSource } from '../../pipeline/lanes/live/PresenterSource.js';
import { ShowSession } from '../../pipeline/show/ShowSession.js';
import { supportsFragments } from '../../pipeline/encode/ffmpegArgs.js';
import { LlHlsSink } from '../../pipeline/hls/LlHlsSink.js';
import type { RigProvider } from '../../pipeline/lanes/live/RigProvider.js';
import type { SpeechCache } from '../../pipeline/lanes/live/SpeechCache.js';
import type { Brain } from '../../pipeline/brain/Brain.js';
import type { TraceObserver } from '../../pipeline/brain/StageTrace.js';
import type { PersonaCatalog } from '../../pipeline/persona/index.js';
import type { TtsEngine } from '../../pipeline/tts/TtsEngine.js';
import { LOWER_THIRD_BOUNDS, REFERENCE_HEIGHT, scaleRect } from '../../renderer/rig/index.js';
import { TestCard } from '../../renderer/testcard/TestCard.js';
import type { Audience } from '../audience/Audience.js';
import type { ShowAudience } from '../audience/ShowAudience.js';
import { SfuIngestSink } from '../sfu/SfuIngestSink.js';
import type { Sfu } from '../sfu/Sfu.js';
import { ViewerChat } from './chat/ViewerChat.js';
import type { DataFeeds } from '../../pipeline/rundown/DataFeeds.js';
import { ShowRundown } from '../rundown/ShowRundown.js';
import { ShowCues } from '../../pipeline/cues/ShowCues.js';
import { Show, type ShowRecord } from './Show.js';
import { knownContext } from './knownContext.js';
import { groundingFacts } from './answerQuestion.js';
import type { ShowStore } from './ShowStore.js';

export const SHOW_ID_PATTERN = /^[a-z0-9]{6,32}$/;

export interface ShowManagerOptions {
  sfu: Sfu;
  store: ShowStore;
  settings: EncoderSettings;
  encoderChoice: VideoEncoderChoice;
  maxShows: number;
  logger: FastifyBaseLogger;
  personas: PersonaCatalog;
  defaultPersona: string;
  tts: TtsEngine;
  rigs: RigProvider;
  speechCache?: SpeechCache;
  brain?: Brain;
  /** Live personalization: per-viewer overlays, polls, experiments. */
  audience?: Audience;
  /** Each H.264 show gets an LL-HLS output (VP8 cannot go into its fMP4). */
  hls?: boolean;
  /** This node's id in the cluster, kept in each show's record. */
  nodeId?: string;
  /** The JSON feeds rundowns' data slots read (DATA_FEED_HOSTS). */
  feeds?: DataFeeds;
  /** Presenter frames are drawn on a worker thread (RENDER_THREAD, default on). */
  renderThread?: boolean;
}

export interface CreateShowOptions {
  title: string;
  persona?: string;
  /** The renderer's test card instead of the presenter (signal checks, glass benchmark). */
  testCard?: boolean;
  /** Taking over a show whose node died: it keeps its id and creation time, and `restore` puts back its state before anyone sees it. */
  takeover?: { id: string; createdAt: string; restore?: (show: Show) => Promise<void> };
}

/** Where the cluster learns which shows run on this node (ShowFailover). */
export interface ShowPlacement {
  placed(showId: string): Promise<void>;
  removed(showId: string): Promise<void>;
}

export type ShowManagerEvents = {
  /** A new show is live (RECORD_SHOWS starts its recording here). */
  created: [show: Show];
  ended: [showId: string];
};

/** The shows running in this process; several run at once, each with its own stream. */
export class ShowManager extends EnhancedEventEmitter<ShowManagerEvents> {
  private readonly shows = new Map<string, Show>();
  private readonly chats = new Map<string, ViewerChat>();
  private readonly rundowns = new Map<string, ShowRundown>();
  /** Creates under way: they hold a slot of `maxShows` from the check until the show is listed. */
  private reserved = 0;
  /** Where cue traces report their stage timings and fallbacks (the metrics). */
  traceObserver: TraceObserver | undefined;
  /** Tells the cluster where shows run: a show is placed before its creation is answered, removed before its end is. */
  placement: ShowPlacement | undefined;
  /** Shows starting (taken over from a dead node) or ending here: neither live nor gone yet. */
  private readonly inTransit = new Set<string>();

  constructor(private readonly options: ShowManagerOptions) {
    super();
  }

  async create(options: CreateShowOptions): Promise<Show> {
    // The slot is taken before the first await, so concurrent creates cannot all pass the check.
    if (this.shows.size + this.reserved >= this.options.maxShows) {
      throw new CodedError('SHOW_LIMIT', `at most ${this.options.maxShows} shows can run at once`);
    }
    this.reserved++;
    const takeover = options.takeover?.id;
    if (takeover) this.inTransit.add(takeover);
    try {
      return await this.open(options);
    } finally {
      this.reserved--;
      if (takeover) this.inTransit.delete(takeover);
    }
  }

  /** Whether a show is starting here after a takeover, or ending here: the cluster must not take it over meanwhile. */
  inTransitHere(id: string): boolean {
    return this.inTransit.has(id);
  }

  private async open({ title, persona, testCard, takeover }: CreateShowOptions): Promise<Show> {
    const id = takeover?.id ?? randomBytes(6).toString('hex');
    if (this.shows.has(id)) throw new CodedError('SHOW_EXISTS', `show ${id} already runs here`);
    const { sfu, settings, encoderChoice, logger } = this.options;
    const media: { source: MediaSource; cues?: ShowCues } = testCard ? { source: new TestCard(settings.width, settings.height, title) } : await this.presenter(id, persona);
    let ingest: SfuIngestSink;
    try {
      // A show taken over may still be imported here from its dead origin: that pipe carries nothing now.
      if (takeover && sfu.hasShow(id)) await sfu.closeIngest(id);
      ingest = await SfuIngestSink.open(sfu, id, settings.videoCodec, settings.videoBitrateKbps);
    } catch (error) {
      // No session owns the source yet: its render thread would outlive the show.
      media.source.close?.();
      throw error;
    }
    const session = new ShowSession({ id, settings, encoderChoice, source: media.source, sinks: [ingest] });
    if (this.options.hls && supportsFragments(settings)) session.attach(new LlHlsSink({ streamEpochMs: session.lane.startedAtEpochMs, settings }));
    const { nodeId } = this.options;
    const show = new Show(id, title, { sfu, session, ingest, ...(media.cues && { cues: media.cues }), ...(nodeId && { node: nodeId }), ...(takeover && { createdAt: takeover.createdAt }) });
    try {
      const audience = await this.options.audience?.open(id, stageOf(show), show.cues);
      // Nodes that decide for this show's viewers answer their joins with its clock.
      if (audience) show.on('clocksync', () => audience.stateChanged());
    } catch (error) {
      await show.end();
      throw error;
    }
    const { brain } = this.options;
    if (brain) this.chats.set(id, new ViewerChat(id, (text) => brain.classify(text), (text) => brain.checkSafety(text)));
    if (show.cues) this.rundowns.set(id, this.showRundown(show, show.cues));
    const log = logger.child({ showId: id });
    session.on('encodercrash', (code, signal) => log.warn({ code, signal }, 'encoder exited; restarting'));
    session.on('encoderlog', (line) => log.debug({ ffmpeg: line }, 'encoder'));
    session.on('degraded', (level) => log.warn({ level, video: show.info().video }, 'overload: degradation level changed'));
    session.on('sinkfailed', (sink, error) => log.warn({ output: sink.kind, err: error }, 'show output failed; detached'));
    const cues = show.cues;
    if (cues) {
      // Every prompt knows the show's title and topic (and the rundown's segment): see knownContext.ts.
      cues.knownContext = () => knownContext(show, this.audience(id), this.rundowns.get(id));
      // A host's prompt the intent model reads as a question is answered from the show's facts (answerQuestion.ts).
      cues.knownFacts = (question, language) => groundingFacts(show.knowledge, question, language);
      ingest.on('audio', (bytes) => cues.audioReachedSfu(bytes));
      cues.on('status', (cue) => {
        // Refusals are policy decisions: keep them, with the script stage's audit, in the log.
        if (cue.state === 'refused') log.warn({ cueId: cue.id, traceId: cue.traceId, prompt: cue.prompt, intent: cue.intent, reason: cue.reason, audits: cue.script?.audits }, 'cue refused');
      });
    }
    await takeover?.restore?.(show);
    await this.options.store.save(show.record());
    await this.placement?.placed(id);
    // Listed only now: a show taken over is seen restored, and where the directory says it is.
    this.shows.set(id, show);
    log.info({ title, encoder: encoderChoice.name }, 'show is live');
    this.safeEmit('created', show);
    return show;
  }

  private async presenter(showId: string, personaId = this.options.defaultPersona): Promise<{ source: PresenterSource; cues: ShowCues }> {
    const { personas, settings, tts, rigs, speechCache, brain } = this.options;
    const persona = personas.get(personaId);
    const sizes = [settings, { width: settings.width / 2, height: settings.height / 2 }];
    const source = await PresenterSource.create(personas.list(), persona, sizes, parseInt(showId.slice(0, 8), 16), (p, size) => rigs.rig(p, size), this.options.renderThread);
    const log = this.options.logger.child({ showId });
    if (source.renderThreadError) log.warn({ err: source.renderThreadError }, 'render thread did not start: frames are drawn on the main thread');
    source.on('renderthreadfailed', (err) => log.warn({ err }, 'render thread failed: frames are drawn on the main thread from now on'));
    const traceObserver = this.traceObserver;
    return {
      source,
      cues: new ShowCues({ showId, tts, presenter: source, personas, persona, ...(speechCache && { speechCache }), ...(brain && { brain }), ...(traceObserver && { traceObserver }) }),
    };
  }

  private showRundown(show: Show, cues: ShowCues): ShowRundown {
    const { personas, feeds, audience } = this.options;
    const showId = show.id;
    return new ShowRundown({
      showId,
      cues,
      personas,
      feeds,
      audience: () => audience?.get(showId),
      launchPoll: (request) => {
        const show = audience?.get(showId);
        if (!audience || !show) throw new CodedError('SHOW_NOT_FOUND', `show ${showId} has no audience`);
        return audience.launchPoll(show, request, true);
      },
      chat: () => this.chats.get(showId),
      knowledge: () => show.knowledge,
      ctaExists: (id) => audience?.catalog.has(id) ?? false,
    });
  }

  /** The rundown and autopilot of a live presenter show. */
  rundown(id: string): ShowRundown | undefined {
    return this.rundowns.get(id);
  }

  /** The viewer chat of a live show that has a brain to classify it. */
  chat(id: string): ViewerChat | undefined {
    return this.chats.get(id);
  }

  /** The audience (personalization, polls) of a live show. */
  audience(id: string): ShowAudience | undefined {
    return this.options.audience?.get(id);
  }

  /**
   * For a viewer socket here of a show another node runs: this node's audience of it, which
   * decides for the viewers here (Audience.follow). Release it with `unfollowAudience`.
   */
  async followAudience(id: string): Promise<ShowAudience> {
    if (!this.options.audience) throw new CodedError('SHOW_NOT_FOUND', 'this node has no audience');
    return this.options.audience.follow(id);
  }

  unfollowAudience(id: string, audience: ShowAudience): void {
    this.options.audience?.unfollow(id, audience);
  }

  /** The audience this node follows for a show another node runs. */
  followedAudience(id: string): ShowAudience | undefined {
    return this.options.audience?.followed(id);
  }

  /** A cue's `offer` must name a template of the overlay catalog. */
  requireOverlay(offer: unknown): void {
    const overlay = (offer as { overlay?: unknown } | null)?.overlay;
    if (typeof overlay === 'string' && this.options.audience && !this.options.audience.catalog.has(overlay)) {
      throw new CodedError('UNKNOWN_OVERLAY', `no overlay template ${JSON.stringify(overlay.slice(0, 40))}`);
    }
  }

  /** A live show in this process, or undefined. */
  live(id: string): Show | undefined {
    return this.shows.get(id);
  }

  /** The live show, or 404 (409 when it has ended). */
  async requireLive(id: string): Promise<Show> {
    const show = this.shows.get(id);
    if (show) return show;
    const record = SHOW_ID_PATTERN.test(id) ? await this.options.store.load(id) : undefined;
    if (record?.state === 'ended') throw new CodedError('SHOW_ENDED', `show ${id} has ended`);
    throw new CodedError('SHOW_NOT_FOUND', `show ${id} not found`);
  }

  async record(id: string): Promise<ShowRecord | undefined> {
    const show = this.shows.get(id);
    if (show) return show.record();
    return SHOW_ID_PATTERN.test(id) ? this.options.store.load(id) : undefined;
  }

  list(): Show[] {
    return [...this.shows.values()];
  }

  /** Ends a show; `moved`: only this node's copy, because another node runs it now (its record stays live). */
  async end(id: string, { moved = false } = {}): Promise<ShowRecord> {
    const show = await this.requireLive(id);
    this.inTransit.add(id);
    try {
      this.shows.delete(id);
      this.chats.delete(id);
      this.rundowns.get(id)?.close();
      this.rundowns.delete(id);
      this.options.speechCache?.forget(id);
      this.options.audience?.end(id, { moved });
      await show.end();
      if (!moved) {
        await this.options.store.save(show.record()).catch(() => undefined);
        await this.placement?.removed(id).catch(() => undefined);
      }
    } finally {
      this.inTransit.delete(id);
    }
    this.options.logger.info({ showId: id }, 'show ended');
    this.safeEmit('ended', id);
    return show.record();
  }

  async endAll(): Promise<void> {
    await Promise.all(this.list().map((show) => this.end(show.id)));
  }
}

function stageOf(show: Show) {
  return {
    faceSafeArea: () => show.cues?.faceSafeArea,
    // The presenter's burned-in name strap: CTAs on the viewer page keep out of it as of the face.
    nameStrap: () => (show.cues ? scaleRect(LOWER_THIRD_BOUNDS, show.encoder.settings.height / REFERENCE_HEIGHT) : undefined),
    frame: () => ({ width: show.encoder.settings.width, height: show.encoder.settings.height }),
    streamTimeMs: () => show.lane.streamTimeMs,
    clock: () => show.clockSync ?? null,
    streamEpochMs: () => show.lane.startedAtEpochMs,
  };
}
