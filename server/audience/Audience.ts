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
import { announcePoll, steerByPolls } from './pollSteering.js';
import { ShowAudience, type AudienceStage } from './ShowAudience.js';

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
  overlayDir?: string | undefined;
  /** Audit rows and ended shows' audit streams expire after this long. */
  auditRetentionMs?: number;
  /** Advertiser postbacks (see Conversions). */
  conversions?: { secrets: Record<string, string>; replayWindowMs: number };
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
  ) {}

  static async start(options: AudienceOptions): Promise<Audience> {
    const redis = await connectViewerStoreRedis(options.redisUrl);
    const catalog = OverlayCatalog.load(options.overlayDir);
    if (options.defaultOverlay && !catalog.has(options.defaultOverlay)) throw new Error(`DEFAULT_OVERLAY ${options.defaultOverlay} is not in the overlay catalog`);
    const engine = await DecisionEngine.load({
      catalog,
      ...(options.defaultOverlay && { defaultTemplateId: options.defaultOverlay }),
      epsilon: options.exploreEpsilon,
    });
    const { prefix } = options;
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
    );
  }

  /** Opens a show's audience; presenter shows also get word-timed offers and poll steering. */
  async open(showId: string, stage: AudienceStage | undefined, cues: ShowCues | undefined): Promise<ShowAudience> {
    const rollout = await Rollout.open(this.rollouts, showId, this.options.experiment);
    const { engine, catalog, sessions, metrics, audit, conversions } = this;
    const show = new ShowAudience(showId, { engine, catalog, sessions, metrics, audit, conversions, plannedDurationMs: this.options.plannedShowMs }, rollout, new ShowPolls(this.votes), stage);
    if (cues) {
      steerByPolls(show, cues);
      cues.on('offerword', (_cueId, offer) => void show.offerWord(offer));
      show.cues = cues;
    }
    this.shows.set(showId, show);
    return show;
  }

  get(showId: string): ShowAudience | undefined {
    return this.shows.get(showId);
  }

  end(showId: string): void {
    this.shows.get(showId)?.close();
    this.shows.delete(showId);
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
    await Promise.all([this.metrics.close(), this.audit.close()]);
    await this.engine.close();
    this.redis.disconnect();
  }
}
