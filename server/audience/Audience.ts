import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import { AuditLog } from '../audit/AuditLog.js';
import { Conversions } from './Conversions.js';
import { DecisionEngine } from '../decisions/DecisionEngine.js';
import type { OverlayTemplate } from '../decisions/types.js';
import { ArmMetrics } from '../experiments/ArmMetrics.js';
import type { ExperimentConfig } from '../experiments/ExperimentConfig.js';
import { Rollout } from '../experiments/Rollout.js';
import { RolloutStore } from '../experiments/RolloutStore.js';
import { OverlayCatalog } from '../overlays/OverlayCatalog.js';
import type { PollRequest, PollView } from '../shows/polls/Poll.js';
import { PollVotes } from '../shows/polls/PollVotes.js';
import { ShowPolls } from '../shows/polls/ShowPolls.js';
import { connectViewerStoreRedis } from '../viewers/redisCall.js';
import { SessionStore } from '../viewers/SessionStore.js';
import { ViewerDataEraser } from '../viewers/ViewerDataEraser.js';
import { viewerKeys } from '../viewers/viewerKeys.js';
import { StageAssignments } from '../experiments/StageAssignments.js';
import { MAX_COUNTED_VIEWERS } from '../experiments/Rollout.js';
import { AudienceNodes } from './AudienceNodes.js';
import { CtaDecisions } from './CtaDecisions.js';
import { announcePoll, steerByPolls } from './pollSteering.js';
import { ShowAudience, type AudienceDeps, type AudienceStage } from './ShowAudience.js';
import { ShowFeed } from './ShowFeed.js';
import type { SequencedState, ShowWideState } from './showWideState.js';

export interface AudienceOptions {
  redisUrl: string;
  /** Key prefix of every viewer, audit, metrics and rollout key. */
  prefix: string;
  experiment: ExperimentConfig;
  /** Sponsor commitments are paced over this. */
  plannedShowMs: number;
  sessionTtlMs: number;
  profileRetentionMs: number;
  /** The overlay template shown to the holdout and by the fallback tier, if any. */
  defaultOverlay?: string;
  exploreEpsilon: number;
  /** DecisionEngine's budget (5 ms when not given). */
  decisionBudgetMs?: number;
  overlayDir?: string | undefined;
  /** Audit rows and ended shows' audit streams expire after this long. */
  auditRetentionMs?: number;
  /** Advertiser postbacks (see Conversions). */
  conversions?: { secrets: Record<string, string>; replayWindowMs: number };
  /** This node in the cluster (NODE_ID): audit rows name it, and the other nodes tell its state from theirs. */
  nodeId?: string;
}

/** A show's published state outlives a quiet hour; an origin writes it again before then. */
const STATE_TTL_MS = 3 * 3_600_000;
const STATE_REFRESH_MS = 3_600_000;
/** An ended show's state stays long enough for a late follower to learn it ended. */
const ENDED_TTL_MS = 60_000;

/** A show another node runs, followed while this node holds sockets of its viewers. */
interface Follower {
  show: ShowAudience;
  seq: number;
  /** Sockets here that use it. */
  users: number;
}

/** What this node last published of a show it runs. */
interface Published {
  json: string;
  atMs: number;
  busy: boolean;
  again: boolean;
}

const DEFAULT_AUDIT_RETENTION_MS = 30 * 86_400_000;
const IMAGE_NAME = /^[a-z0-9-]+\.(png|jpg|webp)$/;

/**
 * Live personalization for every show in this process: the session store, the decision
 * engine, experiments, audit and polls, on a Redis connection of their own that fails fast,
 * so a Redis outage turns decisions to the fallback tier instead of stalling them.
 */
export class Audience {
  private readonly shows = new Map<string, ShowAudience>();
  private readonly followers = new Map<string, Follower>();
  /** Followers being opened, and the states announced meanwhile. */
  private readonly opening = new Map<string, { done: Promise<Follower>; stash?: SequencedState }>();
  private readonly published = new Map<string, Published>();
  readonly nodeId: string;

  private constructor(
    private readonly options: AudienceOptions,
    private readonly redis: Redis,
    readonly engine: DecisionEngine,
    readonly catalog: OverlayCatalog,
    readonly sessions: SessionStore,
    readonly metrics: ArmMetrics,
    readonly audit: AuditLog,
    readonly conversions: Conversions,
    private readonly eraser: ViewerDataEraser,
    private readonly votes: PollVotes,
    private readonly rollouts: RolloutStore,
    private readonly feed: ShowFeed,
    private readonly nodes: AudienceNodes,
    private readonly ctaDecisions: CtaDecisions,
    private readonly assignments: StageAssignments,
  ) {
    this.nodeId = nodes.nodeId;
    feed.on('state', (showId, state) => this.stateOf(showId, state));
    feed.on('offer', (showId, node, offer, timing) => {
      if (node !== this.nodeId) void this.followers.get(showId)?.show.offerWord(offer, timing);
    });
    feed.on('voted', (showId, node, pollId) => {
      if (node !== this.nodeId) this.shows.get(showId)?.polls.counted(pollId);
    });
    // Back from a Redis outage: states announced meanwhile were missed, so each followed show's is read again.
    feed.on('resync', () => {
      for (const showId of this.followers.keys()) void this.feed.read(showId).then((state) => state && this.stateOf(showId, state), () => undefined);
    });
  }

  static async start(options: AudienceOptions): Promise<Audience> {
    const redis = await connectViewerStoreRedis(options.redisUrl);
    const catalog = OverlayCatalog.load(options.overlayDir);
    if (options.defaultOverlay && !catalog.has(options.defaultOverlay)) throw new Error(`DEFAULT_OVERLAY ${options.defaultOverlay} is not in the overlay catalog`);
    const engine = await DecisionEngine.load({
      catalog,
      ...(options.defaultOverlay && { defaultTemplateId: options.defaultOverlay }),
      epsilon: options.exploreEpsilon,
      ...(options.decisionBudgetMs !== undefined && { budgetMs: options.decisionBudgetMs }),
    });
    const { prefix } = options;
    const retentionMs = options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS;
    const feed = await ShowFeed.open(redis, options.redisUrl, prefix);
    return new Audience(
      options,
      redis,
      engine,
      catalog,
      new SessionStore(redis, { prefix, sessionTtlMs: options.sessionTtlMs, profileRetentionMs: options.profileRetentionMs }),
      new ArmMetrics(redis, { prefix }),
      new AuditLog(redis, { prefix, retentionMs: options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS }),
      new Conversions(redis, { prefix, retentionMs: options.auditRetentionMs ?? DEFAULT_AUDIT_RETENTION_MS, secrets: options.conversions?.secrets ?? {}, replayWindowMs: options.conversions?.replayWindowMs ?? 300_000 }),
      new ViewerDataEraser(redis, { prefix }),
      new PollVotes(redis, viewerKeys(prefix)),
      new RolloutStore(redis, prefix),
      feed,
      new AudienceNodes(redis, prefix, options.nodeId ?? 'local'),
      new CtaDecisions(redis, prefix, retentionMs),
      new StageAssignments(redis, prefix, MAX_COUNTED_VIEWERS),
    );
  }

  private deps(): AudienceDeps {
    const { engine, catalog, sessions, metrics, audit, conversions, nodes, ctaDecisions } = this;
    return { engine, catalog, sessions, metrics, audit, conversions, plannedDurationMs: this.options.plannedShowMs, nodeId: this.nodeId, nodes, ctaDecisions };
  }

  /** Opens a show's audience; presenter shows also get word-timed offers and poll steering. */
  async open(showId: string, stage: AudienceStage | undefined, cues: ShowCues | undefined): Promise<ShowAudience> {
    // Taken over here: this node's copy as a follower goes (its sockets reconnect, the origin having left).
    this.dropFollower(showId);
    const rollout = await Rollout.open(this.rollouts, showId, this.options.experiment, { assignments: this.assignments });
    const show = new ShowAudience(showId, this.deps(), rollout, new ShowPolls(this.votes), stage);
    if (cues) {
      steerByPolls(show, cues);
      cues.on('offerword', (_cueId, offer) => void show.offerWord(offer));
      show.cues = cues;
    }
    // The other nodes that hold viewers of the show decide for them with this state, and these offer words.
    show.on('statechange', () => void this.publish(showId, show));
    show.on('offer', (offer, timing) => void this.feed.offer(showId, this.nodeId, offer, timing).catch(() => undefined));
    for (const event of ['stagechange', 'paused', 'resumed'] as const) rollout.on(event, () => void this.publish(showId, show));
    this.shows.set(showId, show);
    // Before the show is placed in the directory, so a node that finds it there finds its state.
    await this.publish(showId, show);
    return show;
  }

  /** The show-wide state, written when it changed (or has not been written for an hour); one write at a time per show. */
  private async publish(showId: string, show: ShowAudience): Promise<void> {
    let entry = this.published.get(showId);
    if (!entry) this.published.set(showId, (entry = { json: '', atMs: 0, busy: false, again: false }));
    if (entry.busy) return void (entry.again = true);
    entry.busy = true;
    try {
      do {
        entry.again = false;
        if (this.shows.get(showId) !== show) return;
        const state: ShowWideState = { ...show.wideState(), node: this.nodeId };
        const json = JSON.stringify(state);
        if (json === entry.json && Date.now() - entry.atMs < STATE_REFRESH_MS) continue;
        await this.feed.write(showId, state, STATE_TTL_MS).then(
          () => Object.assign(entry, { json, atMs: Date.now() }),
          () => undefined, // Redis away: the next change or tick writes it again
        );
      } while (entry.again);
    } finally {
      entry.busy = false;
    }
  }

  /**
   * This node holds a socket of a viewer of `showId`, which another node runs: the show's
   * audience here follows the origin's state, and decides for this node's viewers. Counted
   * per socket (`unfollow` when it closes). SHOW_NOT_FOUND when no origin published it, or it ended.
   */
  async follow(showId: string): Promise<ShowAudience> {
    const existing = this.followers.get(showId);
    if (existing) {
      existing.users++;
      return existing.show;
    }
    let opening = this.opening.get(showId);
    if (!opening) {
      opening = { done: this.openFollower(showId) };
      this.opening.set(showId, opening);
      void opening.done.finally(() => this.opening.delete(showId)).catch(() => undefined);
    }
    const follower = await opening.done;
    if (this.followers.get(showId) !== follower) throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    follower.users++;
    return follower.show;
  }

  /** `show`: the audience `follow` gave (one dropped since, and followed anew, is not touched). */
  unfollow(showId: string, show: ShowAudience): void {
    const follower = this.followers.get(showId);
    if (follower?.show !== show || --follower.users > 0) return;
    this.dropFollower(showId);
  }

  /** The audience this node runs for `showId`, or follows. */
  followed(showId: string): ShowAudience | undefined {
    return this.followers.get(showId)?.show;
  }

  private async openFollower(showId: string): Promise<Follower> {
    const stored = await this.feed.read(showId).catch(() => {
      throw new CodedError('CLUSTER_NODE_UNAVAILABLE', 'the show\'s state cannot be read from Redis right now', 2);
    });
    if (!stored || stored.state.ended) throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    const rollout = await Rollout.open(this.rollouts, showId, this.options.experiment, { assignments: this.assignments, follower: true });
    const show = new ShowAudience(showId, this.deps(), rollout, new ShowPolls(this.votes), undefined, 'follower');
    show.on('voted', (pollId) => void this.feed.voted(showId, this.nodeId, pollId).catch(() => undefined));
    const follower: Follower = { show, seq: stored.seq, users: 0 };
    show.follow(stored.state);
    this.followers.set(showId, follower);
    const stash = this.opening.get(showId)?.stash;
    if (stash) this.stateOf(showId, stash);
    if (!this.followers.has(showId)) throw new CodedError('SHOW_NOT_FOUND', 'the show is not live');
    return follower;
  }

  /** A state any origin announced: a followed show takes it if it is newer; an ended one is dropped. */
  private stateOf(showId: string, state: SequencedState): void {
    const follower = this.followers.get(showId);
    if (!follower) {
      const opening = this.opening.get(showId);
      if (opening && (!opening.stash || opening.stash.seq < state.seq)) opening.stash = state;
      return;
    }
    if (state.seq <= follower.seq) return;
    follower.seq = state.seq;
    if (state.state.ended) return this.dropFollower(showId);
    follower.show.follow(state.state);
  }

  private dropFollower(showId: string): void {
    const follower = this.followers.get(showId);
    if (!follower) return;
    this.followers.delete(showId);
    follower.show.close();
  }

  /** The CTA moment for the viewers this node holds of a show another node runs (the origin asks). */
  async ctaMomentHere(showId: string): Promise<{ viewers: number; shown: number }> {
    return (await this.followers.get(showId)?.show.ctaMoment()) ?? { viewers: 0, shown: 0 };
  }

  get(showId: string): ShowAudience | undefined {
    return this.shows.get(showId);
  }

  /** `moved`: another node runs it now, and says so itself. */
  end(showId: string, { moved = false } = {}): void {
    const show = this.shows.get(showId);
    show?.close();
    this.shows.delete(showId);
    this.published.delete(showId);
    if (show && !moved) void this.feed.write(showId, { ...show.wideState(), node: this.nodeId, ended: true }, ENDED_TTL_MS).catch(() => undefined);
  }

  launchPoll(show: ShowAudience, request: PollRequest, announce: boolean): PollView {
    const poll = show.launchPoll(request);
    if (announce && show.cues) announcePoll(show.cues, poll);
    return poll;
  }

  /**
   * A host overlay for every viewer, validated like a catalog template; optionally burned into
   * the video (in the host's own words: the picture is one for everyone). `language` and
   * `translations` as a catalog entry has them: each viewer page shows the viewer's language.
   */
  pushShared(show: ShowAudience, body: { placement: string; headline: string; body?: string; action?: string; link?: string; colours?: unknown; burnIn?: boolean; language?: string; translations?: unknown }) {
    const { burnIn, ...fields } = body;
    const template = this.sharedTemplate(fields);
    if (burnIn) {
      if (!show.cues) throw new CodedError('SHOW_HAS_NO_PRESENTER', 'the test card cannot burn in overlays');
      show.cues.caption(template.headline);
    }
    return show.setShared(template);
  }

  /** Validated like a catalog template, so a bad field fails with the template validator's code. */
  private sharedTemplate(fields: object): OverlayTemplate {
    return this.catalog.validate({
      id: 'shared',
      colours: { background: '#0b1f3a', text: '#ffffff', accent: '#e9c46a' },
      topics: [],
      requiresConsent: false,
      frequencyCap: { maxPerSession: 1, minGapMs: 0 },
      ...fields,
    });
  }

  /** Drops what this node's shows hold in memory about a viewer. */
  forget(viewerId: string): void {
    for (const show of this.shows.values()) show.forget(viewerId);
    for (const { show } of this.followers.values()) show.forget(viewerId);
  }

  /** Everything kept about a viewer, in one Redis call. */
  async erase(viewerId: string) {
    this.forget(viewerId);
    try {
      return await this.eraser.erase(viewerId);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'INVALID_VIEWER_DATA') throw new CodedError('INVALID_REQUEST', (error as Error).message);
      throw new CodedError('VIEWER_STORE_UNAVAILABLE', 'viewer data cannot be deleted right now; nothing was deleted, try again');
    }
  }

  imageFile(name: string): { dir: string; name: string } | undefined {
    if (!IMAGE_NAME.test(name) || !existsSync(path.join(this.catalog.imagesDir, name))) return undefined;
    return { dir: this.catalog.imagesDir, name };
  }

  async close(): Promise<void> {
    for (const id of [...this.shows.keys()]) this.end(id);
    for (const id of [...this.followers.keys()]) this.dropFollower(id);
    this.feed.close();
    await Promise.all([this.metrics.close(), this.audit.close(), this.ctaDecisions.close()]);
    await this.engine.close();
    this.redis.disconnect();
  }
}
