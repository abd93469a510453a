import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { CueOffer } from '../../pipeline/cues/Cue.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import type { AuditLog } from '../audit/AuditLog.js';
import type { Conversions } from './Conversions.js';
import type { Arm } from '../decisions/types.js';
import type { DecisionEngine } from '../decisions/DecisionEngine.js';
import type { Decision, DecisionContext, DecisionTrigger, OverlayTemplate, SessionFeatures } from '../decisions/types.js';
import type { ArmMetrics } from '../experiments/ArmMetrics.js';
import type { ArmMetricsSnapshot } from '../experiments/armSnapshot.js';
import type { GuardrailView } from '../experiments/guardrail.js';
import type { Rollout } from '../experiments/Rollout.js';
import type { OverlayCatalog } from '../overlays/OverlayCatalog.js';
import type { PollRequest, PollView } from '../shows/polls/Poll.js';
import type { ShowPolls } from '../shows/polls/ShowPolls.js';
import type { SessionStore } from '../viewers/SessionStore.js';
import type { SessionUpdate } from '../viewers/sessionTypes.js';
import { joinContextFrom, validateViewerEvent, type ViewerEventName } from '../viewers/viewerEvents.js';
import type { StreamClockSync } from '../sfu/SfuIngestSink.js';
import { addHistograms, histogramOf, summaryOfHistogram } from '../experiments/latencyHistogram.js';
import type { AudienceNodes, NodeReport } from './AudienceNodes.js';
import { AudienceViewer } from './AudienceViewer.js';
import type { CtaDecisions } from './CtaDecisions.js';
import { decisionMessage, overlayMessage, type OverlayMessage } from './overlayMessage.js';
import type { OfferTiming } from './ShowFeed.js';
import type { ShowWideState } from './showWideState.js';

export interface AudienceDeps {
  engine: DecisionEngine;
  catalog: OverlayCatalog;
  sessions: SessionStore;
  metrics: ArmMetrics;
  audit: AuditLog;
  conversions: Conversions;
  /** How long the show is planned to run: sponsor commitments are paced over it. */
  plannedDurationMs: number;
  /** This node (audit rows name the node that decided). */
  nodeId: string;
  /** Every node's report of its viewers of the show (the host panel's viewers and latency). */
  nodes: AudienceNodes;
  /** CTA decisions in Redis, for postbacks of decisions made on any node. */
  ctaDecisions: CtaDecisions;
}

/** What the presenter and the stream contribute; absent for the test card. */
export interface AudienceStage {
  faceSafeArea(): { x: number; y: number; width: number; height: number } | undefined;
  /** Where the presenter's name strap is burned in, in frame pixels. */
  nameStrap(): { x: number; y: number; width: number; height: number } | undefined;
  frame(): { width: number; height: number };
  streamTimeMs(): number;
  /** The stream clock's sync point, null before the first packet (join replies carry it). */
  clock?(): StreamClockSync | null;
  /** The wall clock of stream time 0. */
  streamEpochMs?(): number;
}

/**
 * `origin`: this node runs the show, and its audience state is the show's. `follower`: this
 * node holds sockets of viewers of a show another node runs; it decides for them here, with
 * the show-wide state the origin publishes (ShowWideState), read-only.
 */
export type AudienceRole = 'origin' | 'follower';

export interface AudienceSnapshot {
  showId: string;
  /** The host's topic (PUT /api/shows/:id/topic), if set. */
  topic?: string;
  arms: Record<string, ArmMetricsSnapshot['holdout'] & { viewers: number }>;
  holdoutLift: ArmMetricsSnapshot['holdoutLift'];
  latency: ArmMetricsSnapshot['latency'];
  source: ArmMetricsSnapshot['source'];
  rollout: { percent: number; stageIndex: number; paused: boolean; pausedReason?: string; control: string; treatment: string; guardrail: GuardrailView | null };
}

export type ShowAudienceEvents = {
  /** To every viewer of the show. */
  broadcast: [event: string, payload: unknown];
  /** To the show's hosts. */
  host: [event: string, payload: unknown];
  /** Origin: the show-wide state changed (ShowFeed tells the other nodes). */
  statechange: [];
  /** Origin: the presenter said an offer word; the other nodes decide for their viewers. */
  offer: [offer: Required<CueOffer>, timing: OfferTiming];
  /** Follower: a vote was counted here (the origin sends the tallies). */
  voted: [pollId: string];
};

export type EventName = Exclude<ViewerEventName, 'join' | 'chat'>;
type DecisionSummary = Pick<Decision, 'id' | 'placement' | 'tier'> & { templateId?: string };

/** How often hosts get the figures (and the rollout's guardrail is checked). */
const SNAPSHOT_EVERY_MS = 1_000;
/** CTA decisions a show remembers for postbacks (about 1 MB). */
const MAX_CTA_DECISIONS = 10_000;
/** Word-timed overlays sent without a playout clock wait this long past the word's stream time. */
const NO_CLOCK_PLAYOUT_DELAY_MS = 150;
/** Controls (C0, C1) and format characters, which include the bidirectional overrides and isolates. */
const NOT_PLAIN_TEXT = /[\p{Cc}\p{Cf}]/u;

/**
 * One show's audience: each viewer's events update its session in Redis (one round trip),
 * drive a decision for that viewer, and the chosen overlay goes to that viewer alone.
 * Host-pushed overlays and polls go to everyone. Every decision is audited and counted per arm.
 */
export class ShowAudience extends EnhancedEventEmitter<ShowAudienceEvents> {
  private readonly viewers = new Map<string, AudienceViewer>();
  private readonly ctaDecisions = new Map<string, { viewerId: string; arm: Arm; templateId: string }>();
  private shared: OverlayMessage | undefined;
  private startedAtMs = Date.now();
  private topic_: string | undefined;
  /** Follower: the origin's stage and clock, as last published. */
  private followed: ShowWideState | undefined;
  private readonly ticker: NodeJS.Timeout;
  /** The presenter's cues: poll announcements and burned-in overlays go through them. */
  cues: ShowCues | undefined;

  constructor(
    readonly showId: string,
    private readonly deps: AudienceDeps,
    readonly rollout: Rollout,
    readonly polls: ShowPolls,
    private readonly stage: AudienceStage | undefined,
    readonly role: AudienceRole = 'origin',
  ) {
    super();
    polls.on('update', (poll) => this.broadcastPoll(poll));
    polls.on('closed', (poll) => this.broadcastPoll(poll));
    this.ticker = setInterval(() => void this.tick(), SNAPSHOT_EVERY_MS).unref();
  }

  /** Origin: what every node deciding for this show's viewers reads of it. */
  wideState(): Omit<ShowWideState, 'node'> {
    const open = this.polls.openPoll();
    const last = open ? undefined : this.polls.list().at(-1);
    const poll = open ? this.polls.get(open.id) : last;
    const request = open?.request ?? (last && this.polls.requestOf(last.id));
    const clock = this.stage?.clock?.() ?? null;
    const epoch = this.stage?.streamEpochMs?.();
    return {
      startedAtMs: this.startedAtMs,
      ...(this.topic_ !== undefined && { topic: this.topic_ }),
      ...(this.shared && { shared: this.shared }),
      ...(this.stage && { stage: this.stageView() }),
      clock,
      ...(epoch !== undefined && { streamEpochMs: epoch }),
      ...(poll && request && { poll: { id: poll.id, request, closesAt: poll.closesAt, tallies: poll.tallies, ...(poll.result && { result: poll.result }) } }),
      rollout: { stageIndex: this.rollout.state.stageIndex, paused: this.rollout.state.paused, ...(this.rollout.state.pausedReason && { pausedReason: this.rollout.state.pausedReason }), stageStartedAtMs: this.rollout.state.stageStartedAtMs },
    };
  }

  /** Origin: something the show-wide state reads changed (the stream clock). */
  stateChanged(): void {
    this.safeEmit('statechange');
  }

  /** Follower: the origin's latest show-wide state. */
  follow(state: ShowWideState): void {
    this.followed = state;
    this.startedAtMs = state.startedAtMs;
    this.topic_ = state.topic;
    this.shared = state.shared;
    this.polls.mirror(state.poll);
    this.rollout.follow(state.rollout);
  }

  /** The stream clock for a join reply: this show's, or (follower) the origin's as last published. */
  streamClock(): { clock: StreamClockSync | null; streamEpochMs?: number } {
    if (this.followed) return { clock: this.followed.clock, ...(this.followed.streamEpochMs !== undefined && { streamEpochMs: this.followed.streamEpochMs }) };
    const epoch = this.stage?.streamEpochMs?.();
    return { clock: this.stage?.clock?.() ?? null, ...(epoch !== undefined && { streamEpochMs: epoch }) };
  }

  private stageView(): ShowWideState['stage'] {
    if (this.followed) return this.followed.stage;
    if (!this.stage) return undefined;
    const faceSafeArea = this.stage.faceSafeArea();
    const nameStrap = this.stage.nameStrap();
    return { ...(faceSafeArea && { faceSafeArea }), ...(nameStrap && { nameStrap }), frame: this.stage.frame() };
  }

  get topic(): string | undefined {
    return this.topic_;
  }

  /** The topic reaches every viewer's session and the ranker: plain text only, so nothing can hide in it. */
  set topic(topic: string | undefined) {
    if (topic !== undefined && (topic.trim() === '' || NOT_PLAIN_TEXT.test(topic))) {
      throw new CodedError('INVALID_TOPIC', 'a topic is non-empty plain text, without control, format or bidirectional-override characters');
    }
    this.topic_ = topic?.slice(0, 64);
    this.safeEmit('statechange');
  }

  /**
   * A viewer's socket connected: it gets this viewer's pushes from now on, and a fresh state
   * (the page sends `join` again). `connection` names the socket (its id, unique in the cluster).
   */
  connect(viewerId: string, send: (event: string, payload: unknown) => void, connection?: string): void {
    this.viewers.set(viewerId, new AudienceViewer(viewerId, this.rollout.assign(viewerId), send, connection));
  }

  /**
   * A viewer's socket closed. Named, only the socket the viewer is connected through now
   * counts: an older one's close arriving late (a reload, a relay from another node) leaves
   * the newer connection alone.
   */
  disconnect(viewerId: string, connection?: string): void {
    if (connection !== undefined && this.viewers.get(viewerId)?.connection !== connection) return;
    this.viewers.delete(viewerId);
  }

  /** A deleted viewer's in-memory state goes with its stored data. */
  forget(viewerId: string): void {
    const viewer = this.viewers.get(viewerId);
    if (!viewer) return;
    this.viewers.set(viewerId, new AudienceViewer(viewerId, viewer.assignment, viewer.send, viewer.connection));
  }

  /** Join context in; the stage, the clock, the overlays up now and the open poll out. */
  async join(viewerId: string, payload: unknown, userAgent: string | undefined) {
    const viewer = this.viewer(viewerId);
    const parsed = validateViewerEvent('join', payload);
    viewer.join = joinContextFrom(parsed, userAgent);
    viewer.displayName = parsed.displayName;
    const features = await this.update(viewer, { kind: 'join', join: viewer.join });
    const first = !viewer.joined;
    viewer.joined = true;
    const overlays: OverlayMessage[] = this.shared ? [this.shared] : [];
    if (first || !viewer.overlayUp(Date.now())) {
      // The join's own overlay goes back in the reply, not as an event as well.
      const message = this.present(viewer, await this.decide(viewer, 'join', features));
      if (message) overlays.push(message);
    }
    const open = this.polls.open;
    const stage = this.stageView();
    return {
      viewerId,
      consented: viewer.join.consent,
      ...(stage && { stage: { faceSafeArea: stage.faceSafeArea, nameStrap: stage.nameStrap, frame: stage.frame } }),
      overlays,
      ...(open && { poll: open.view() }),
    };
  }

  profileOf(viewerId: string): { displayName?: string; consented: boolean } {
    const viewer = this.viewer(viewerId);
    return { consented: viewer.join.consent, ...(viewer.displayName && { displayName: viewer.displayName }) };
  }

  /** Any other viewer event; the reply names the decision it led to, if any. */
  async event(viewerId: string, name: EventName, payload: unknown): Promise<{ decision?: DecisionSummary; poll?: PollView }> {
    const viewer = this.viewer(viewerId);
    if (!viewer.joined) throw new CodedError('NOT_JOINED', 'send "join" first');
    const now = Date.now();
    switch (name) {
      case 'heartbeat': {
        const { watchMs } = validateViewerEvent('heartbeat', payload);
        this.deps.metrics.recordWatch(this.showId, viewer.assignment.arm, watchMs);
        const features = await this.update(viewer, { kind: 'heartbeat', watchMs, ...(this.topic_ && { topic: this.topic_ }) });
        return viewer.overlayUp(now) ? {} : this.decideAndShow(viewer, 'heartbeat', features);
      }
      case 'pause':
      case 'resume':
      case 'mute':
      case 'unmute':
      case 'seek': {
        validateViewerEvent(name, payload);
        const features = await this.update(viewer, { kind: name });
        const reengaged = name === 'resume' || name === 'unmute';
        return reengaged && !viewer.overlayUp(now) ? this.decideAndShow(viewer, 'interaction', features) : {};
      }
      case 'cta_impression':
      case 'cta_click':
      case 'cta_dismiss':
        return this.outcome(viewer, name, validateViewerEvent(name, payload).decisionId);
      case 'poll_vote': {
        const { pollId, option } = validateViewerEvent('poll_vote', payload);
        const poll = await this.polls.vote(pollId, viewerId, option);
        if (this.role === 'follower') this.safeEmit('voted', pollId);
        const features = await this.update(viewer, { kind: 'vote', pollId, option: poll.options[option]! });
        return { poll, ...(viewer.overlayUp(now) ? {} : await this.decideAndShow(viewer, 'poll', features)) };
      }
    }
  }

  /** A chat line counts as engagement. */
  async chatted(viewerId: string): Promise<void> {
    const viewer = this.viewers.get(viewerId);
    if (viewer?.joined) await this.update(viewer, { kind: 'chat' });
  }

  /**
   * The presenter says a marked offer word: each viewer the rules allow sees the CTA as they
   * hear it. On the origin the timing is worked out here and the other nodes are told
   * (`offer`), each deciding for its own viewers with that timing.
   */
  async offerWord(offer: Required<CueOffer>, given?: OfferTiming): Promise<void> {
    const template = this.deps.catalog.get(offer.overlay);
    if (!template) return;
    const ahead = this.stage ? Math.max(0, offer.streamTimeMs - this.stage.streamTimeMs()) : 0;
    const timing = given ?? { atStreamTimeMs: offer.streamTimeMs, fallbackDelayMs: ahead + NO_CLOCK_PLAYOUT_DELAY_MS };
    if (this.role === 'origin') this.safeEmit('offer', offer, timing);
    await Promise.all(
      [...this.viewers.values()]
        .filter((v) => v.joined)
        .map(async (viewer) => {
          const decision = await this.decide(viewer, 'offer_word', viewer.features, template.id);
          this.show(viewer, decision, timing);
        }),
    );
  }

  /**
   * The host's CTA moment: every joined viewer's engine picks that viewer's own CTA now, under
   * the same rules (consent, region, language, caps, the min gap) and arm as any decision,
   * audited with trigger `cta_moment`; a chosen CTA replaces the viewer's personal one.
   * Each node runs it for the viewers it holds (the origin asks the others and adds up).
   */
  async ctaMoment(): Promise<{ viewers: number; shown: number }> {
    const joined = [...this.viewers.values()].filter((v) => v.joined);
    const shown = await Promise.all(
      joined.map(async (viewer) => {
        // The features of the viewer's last event, as an offer word uses: every event refreshes them.
        const decision = await this.decide(viewer, 'cta_moment', viewer.features);
        this.show(viewer, decision);
        return decision.templateId !== undefined;
      }),
    );
    return { viewers: joined.length, shown: shown.filter(Boolean).length };
  }

  launchPoll(request: PollRequest): PollView {
    return this.polls.launch(request);
  }

  /**
   * A host overlay for everyone, over any personal one in the same placement. Its text is the
   * host's, with the host's translations: each viewer page shows the viewer's language.
   */
  setShared(template: OverlayTemplate): OverlayMessage {
    this.shared = overlayMessage('shared', template, template.translations ? { translations: template.translations } : {});
    this.safeEmit('broadcast', 'overlay', this.shared);
    this.safeEmit('statechange');
    return this.shared;
  }

  clearShared(): void {
    const placement = this.shared?.placement;
    this.shared = undefined;
    if (placement) this.safeEmit('broadcast', 'overlay', { slot: 'shared', placement: 'none' });
    this.safeEmit('statechange');
  }

  /**
   * An advertiser's verified postback: the decision's CTA (the campaign's template) led to a
   * conversion. Counted once per decision; false when it already was.
   */
  async conversion(campaign: string, decisionId: string): Promise<boolean> {
    // A decision made on another node (its viewer's) is found in Redis.
    const decision = this.ctaDecisions.get(decisionId) ?? (await this.deps.ctaDecisions.find(this.showId, decisionId));
    if (!decision || decision.templateId !== campaign) throw new CodedError('DECISION_NOT_FOUND', `no CTA decision ${decisionId} of this campaign in this show`);
    if (!(await this.deps.conversions.first(this.showId, decisionId))) return false;
    this.deps.metrics.recordConversion(this.showId, decision.arm);
    this.deps.audit.recordOutcome(this.showId, decision.viewerId, decisionId, 'conversion');
    return true;
  }

  /** Per-arm figures for the host page (the API and the bench read them too). */
  async snapshot(): Promise<AudienceSnapshot> {
    const [metrics, others] = await Promise.all([this.deps.metrics.snapshot(this.showId), this.deps.nodes.others(this.showId)]);
    return this.summarize(metrics, others);
  }

  private viewersByArm(): Record<Arm, number> {
    const viewersByArm = { holdout: 0, control: 0, treatment: 0 };
    for (const viewer of this.viewers.values()) viewersByArm[viewer.assignment.arm]++;
    return viewersByArm;
  }

  /** This node's figures with the other nodes' reports: their viewers, and the latencies of every node's decisions pooled. */
  private summarize(metrics: ArmMetricsSnapshot, others: NodeReport[]): AudienceSnapshot {
    const viewersByArm = this.viewersByArm();
    for (const report of others) for (const arm of ['holdout', 'control', 'treatment'] as const) viewersByArm[arm] += Number(report.viewers[arm]) || 0;
    if (others.length > 0) {
      const pooled = histogramOf(this.deps.metrics.latencySamples(this.showId));
      for (const report of others) addHistograms(pooled, report.latency ?? {});
      metrics = { ...metrics, latency: summaryOfHistogram(pooled, [metrics.latency.max, ...others.map((r) => r.maxLatencyMs)]) };
    }
    const { state, config, percent } = this.rollout;
    return {
      showId: this.showId,
      ...(this.topic_ !== undefined && { topic: this.topic_ }),
      arms: Object.fromEntries((['holdout', 'control', 'treatment'] as const).map((arm) => [arm, { ...metrics[arm], viewers: viewersByArm[arm] }])),
      holdoutLift: metrics.holdoutLift,
      latency: metrics.latency,
      source: metrics.source,
      rollout: {
        percent,
        stageIndex: state.stageIndex,
        paused: state.paused,
        ...(state.pausedReason && { pausedReason: state.pausedReason }),
        control: config.control.modelVersion,
        treatment: config.treatment.modelVersion,
        guardrail: this.rollout.guardrailView,
      },
    };
  }

  close(): void {
    clearInterval(this.ticker);
    void this.deps.nodes.remove(this.showId);
    this.polls.dispose();
    this.viewers.clear();
    this.removeAllListeners();
  }

  /** The shared stream's rendered and encoded time (cost model), the rollout's guardrail, then the figures to the hosts. */
  private async tick(): Promise<void> {
    const samples = this.deps.metrics.latencySamples(this.showId);
    const report = { atMs: Date.now(), viewers: this.viewersByArm(), latency: histogramOf(samples), maxLatencyMs: samples.length ? Math.max(...samples) : 0 };
    if (this.role === 'follower') {
      // The origin counts this node's viewers and latencies; the per-arm totals are read afresh (sponsor pacing).
      this.deps.metrics.rehydrate(this.showId);
      if (this.viewers.size > 0) await this.deps.nodes.report(this.showId, report).catch(() => undefined);
      return;
    }
    this.deps.metrics.recordStream(this.showId, { renderedMs: SNAPSHOT_EVERY_MS, encodedMs: SNAPSHOT_EVERY_MS });
    const [metrics, others] = await Promise.all([this.deps.metrics.snapshot(this.showId).catch(() => undefined), this.deps.nodes.others(this.showId)]);
    if (!metrics) return;
    await this.rollout.evaluateGuardrail(metrics).catch(() => undefined);
    this.safeEmit('host', 'audience', this.summarize(metrics, others));
    // The show-wide state is sent again when something not announced changed (the presenter's stage, the clock).
    this.safeEmit('statechange');
  }

  private viewer(viewerId: string): AudienceViewer {
    const viewer = this.viewers.get(viewerId);
    if (!viewer) throw new CodedError('NOT_CONNECTED', 'this viewer is not connected to the show');
    return viewer;
  }

  private async outcome(viewer: AudienceViewer, name: 'cta_impression' | 'cta_click' | 'cta_dismiss', decisionId: string) {
    const decision = viewer.decision(decisionId);
    if (!decision?.templateId) throw new CodedError('DECISION_NOT_FOUND', `no CTA decision ${decisionId} for this viewer`);
    const kind = name === 'cta_impression' ? 'impression' : name === 'cta_click' ? 'click' : 'dismiss';
    const { metrics, audit } = this.deps;
    if (!viewer.firstOutcome(decisionId, kind)) return {};
    if (kind === 'impression') metrics.recordImpression(this.showId, decision.arm, decision.templateId);
    if (kind === 'click') metrics.recordClick(this.showId, decision.arm);
    audit.recordOutcome(this.showId, viewer.viewerId, decisionId, kind);
    const features = await this.update(viewer, { kind, templateId: decision.templateId });
    if (kind === 'impression') return {};
    if (viewer.showing?.decisionId === decisionId) viewer.showing = undefined;
    return this.decideAndShow(viewer, kind === 'click' ? 'click' : 'dismiss', features);
  }

  /** Updates the session in Redis; undefined when Redis is away (the fallback tier decides then). */
  private async update(viewer: AudienceViewer, update: SessionUpdate): Promise<SessionFeatures | undefined> {
    try {
      const { features } = await this.deps.sessions.apply(this.showId, viewer.viewerId, update, Date.now());
      viewer.features = features;
      return features;
    } catch {
      return undefined;
    }
  }

  private async decideAndShow(viewer: AudienceViewer, trigger: DecisionTrigger, features: SessionFeatures | undefined) {
    const decision = await this.decide(viewer, trigger, features);
    this.show(viewer, decision);
    return { decision: summary(decision) };
  }

  private async decide(viewer: AudienceViewer, trigger: DecisionTrigger, session: SessionFeatures | undefined, offerTemplateId?: string): Promise<Decision> {
    const context: DecisionContext = {
      showId: this.showId,
      viewerId: viewer.viewerId,
      nowMs: Date.now(),
      trigger,
      join: viewer.join,
      session,
      show: {
        ...(this.topic_ && { topic: this.topic_ }),
        impressionsByTemplate: this.deps.metrics.impressionsByTemplate(this.showId),
        elapsedMs: Date.now() - this.startedAtMs,
        plannedDurationMs: this.deps.plannedDurationMs,
      },
      ...(offerTemplateId && { offerTemplateId }),
    };
    const decision = await this.deps.engine.decide(context, viewer.assignment);
    this.deps.metrics.recordDecision(this.showId, decision.arm, decision.latencyMs);
    // A ranked decision keeps what the ranker saw: with its outcomes it is a training row.
    this.deps.audit.append(decision, { ...(decision.ranked && { context }), node: this.deps.nodeId });
    viewer.remember(decision);
    if (decision.templateId) {
      // Postbacks arrive after the viewer may have left, at the show's origin: CTA decisions are kept here and in Redis.
      const cta = { viewerId: viewer.viewerId, arm: decision.arm, templateId: decision.templateId };
      this.ctaDecisions.set(decision.id, cta);
      this.deps.ctaDecisions.remember(this.showId, decision.id, cta);
      if (this.ctaDecisions.size > MAX_CTA_DECISIONS) this.ctaDecisions.delete(this.ctaDecisions.keys().next().value!);
    }
    return decision;
  }

  /** Sends a chosen overlay to its viewer; `none` leaves what is on screen alone. */
  private show(viewer: AudienceViewer, decision: Decision, timing: Partial<OverlayMessage> = {}): void {
    const message = this.present(viewer, decision, timing);
    if (message) viewer.send('overlay', message);
  }

  /** The overlay message of a decision that shows something, now counted as on the viewer's screen. */
  private present(viewer: AudienceViewer, decision: Decision, timing: Partial<OverlayMessage> = {}): OverlayMessage | undefined {
    const template = decision.templateId === undefined ? undefined : this.deps.catalog.get(decision.templateId);
    if (!template) return undefined;
    const message = decisionMessage(decision, template, timing, viewer.join.language);
    viewer.showing = { decisionId: decision.id, untilMs: Date.now() + (message.ttlMs ?? 0) + (timing.fallbackDelayMs ?? 0) };
    return message;
  }

  private broadcastPoll(poll: PollView): void {
    if (this.role === 'follower') return; // the origin sends polls to every node's viewers
    this.safeEmit('broadcast', 'poll', poll);
    this.safeEmit('host', 'poll', { ...poll, showId: this.showId });
    this.safeEmit('statechange');
  }
}

const summary = (d: Decision): DecisionSummary => ({ id: d.id, placement: d.placement, tier: d.tier, ...(d.templateId && { templateId: d.templateId }) });
