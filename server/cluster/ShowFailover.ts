import type { FastifyBaseLogger } from 'fastify';
import type { Show } from '../shows/Show.js';
import type { ShowManager, ShowPlacement } from '../shows/ShowManager.js';
import { restoreSnapshot, snapshotOf } from '../shows/ShowSnapshot.js';
import type { ShowStore } from '../shows/ShowStore.js';
import type { Cluster } from './Cluster.js';
import { loadScore } from './NodeInfo.js';

/** How often the directory is checked for shows whose node is gone (a leave also checks at once). */
const SWEEP_MS = 1_000;
/** How often each show's snapshot is written when it changed: what a takeover can lose at most. */
const SNAPSHOT_MS = 250;
/** Survivors try in order of load, this far apart, so the emptiest node usually takes a show. */
const RANK_STEP_MS = 250;

/**
 * Keeps the show directory true and takes over the shows of nodes that died. Each show here
 * keeps a snapshot in Redis (persona, topic, open poll, cues not yet spoken). A show whose
 * node left the cluster is claimed with a compare-and-set (so exactly one survivor wins),
 * then started again under its id from its record and snapshot; its rollout, and its viewers'
 * sessions and arms, are in Redis already.
 */
export class ShowFailover implements ShowPlacement {
  private readonly timer: NodeJS.Timeout;
  private readonly snapshotTimer: NodeJS.Timeout;
  private readonly saved = new Map<string, string>();
  private sweeping: Promise<void> | undefined;
  /** A sweep was asked for while one ran (with an older view of the nodes): run once more after it. */
  private sweepAgain = false;
  private failing = false;
  private snapshotting: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly shows: ShowManager,
    private readonly store: ShowStore,
    private readonly log: FastifyBaseLogger,
  ) {
    shows.on('ended', (showId) => this.saved.delete(showId));
    cluster.on('left', (node) => {
      log.warn({ node: node.nodeId }, 'a cluster node left; taking over its shows');
      this.sweep();
    });
    this.timer = setInterval(() => this.sweep(), SWEEP_MS);
    this.timer.unref();
    this.snapshotTimer = setInterval(() => {
      this.snapshotting ??= this.snapshot().finally(() => (this.snapshotting = undefined));
    }, SNAPSHOT_MS);
    this.snapshotTimer.unref();
  }

  /** Called once a show is live here, before its creation is answered: other nodes find it from now on. */
  async placed(showId: string): Promise<void> {
    await this.cluster.directory.place(showId, this.cluster.nodeId);
  }

  /** Called as a show ends here, before its end is answered (unless another node took it over). */
  async removed(showId: string): Promise<void> {
    await this.cluster.directory.remove(showId, this.cluster.nodeId);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.snapshotTimer);
  }

  private async snapshot(): Promise<void> {
    for (const show of this.shows.list()) await this.saveSnapshot(show.id).catch(() => undefined);
  }

  /** Writes a show's snapshot now if it changed (a host's change is in Redis before it is acknowledged). */
  async saveSnapshot(showId: string): Promise<void> {
    const show = this.shows.live(showId);
    if (!show) return;
    const json = JSON.stringify(snapshotOf(show.cues, this.shows.audience(showId), this.shows.rundown(showId), show.knowledge));
    if (this.saved.get(showId) === json) return;
    await this.store.saveSnapshot(showId, json);
    this.saved.set(showId, json);
  }

  private sweep(): void {
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    this.sweeping = this.reconcile()
      .then(
        () => {
          this.failing = false;
        },
        (error: Error) => {
          // Once per outage, not every second of it.
          if (!this.failing) this.log.warn({ err: error }, 'show takeover sweep failed; retrying every second');
          this.failing = true;
        },
      )
      .finally(() => {
        this.sweeping = undefined;
        if (this.sweepAgain && !this.closed) {
          this.sweepAgain = false;
          this.sweep();
        }
      });
  }

  /**
   * Takes over the shows whose node is gone (or is this node, restarted without them), puts
   * back this node's shows that the directory lost, and ends a show here that the directory
   * gives to another node: this node was thought dead (frozen, or cut from Redis) and a
   * survivor took it, so two copies must not stay on air.
   */
  private async reconcile(): Promise<void> {
    if (this.closed) return;
    const self = this.cluster.nodeId;
    const live = new Set(this.cluster.nodes().map((node) => node.nodeId));
    const placed = await this.cluster.directory.all();
    for (const show of this.shows.list()) {
      const owner = placed.get(show.id);
      // Redis came back without its data (no AOF): say again where this node's shows are.
      if (owner === undefined) await this.cluster.directory.place(show.id, self);
      else if (owner !== self) {
        this.log.error({ showId: show.id, owner }, 'another node took this show over; ending the copy here');
        await this.shows.end(show.id, { moved: true }).catch(() => undefined);
      }
    }
    const orphans = [...placed].filter(([showId, owner]) => (owner === self ? !this.shows.live(showId) && !this.shows.inTransitHere(showId) : !live.has(owner)));
    await Promise.all(orphans.map(([showId, owner]) => this.takeOver(showId, owner)));
  }

  private async takeOver(showId: string, owner: string): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.rank() * RANK_STEP_MS));
    if (this.closed || !(await this.cluster.directory.takeOver(showId, owner, this.cluster.nodeId))) return;
    const record = await this.store.load(showId);
    if (!record || record.state === 'ended') {
      await this.cluster.directory.remove(showId, this.cluster.nodeId);
      return;
    }
    const startedMs = Date.now();
    try {
      const snapshot = await this.store.loadSnapshot(showId);
      const restore = async (show: Show) => {
        const failures = snapshot ? await restoreSnapshot(snapshot, show.cues, this.shows.audience(showId), this.shows.rundown(showId), show) : [];
        if (failures.length) this.log.warn({ showId, failures }, 'parts of the show could not be restored');
      };
      await this.shows.create({ title: record.title, ...(record.persona && { persona: record.persona }), ...(record.testCard && { testCard: true }), takeover: { id: showId, createdAt: record.createdAt, restore } });
      this.log.warn({ showId, from: owner, tookMs: Date.now() - startedMs, restored: snapshot !== undefined }, 'took over a show whose node left');
    } catch (error) {
      // Give it back to the sweep: another node (or this one, next time) tries again.
      await this.cluster.directory.takeOver(showId, this.cluster.nodeId, owner).catch(() => undefined);
      this.log.error({ showId, err: error }, 'could not take over a show');
    }
  }

  /** This node's place among the live nodes by load (0: the emptiest). */
  private rank(): number {
    const score = loadScore(this.cluster.self().load);
    return this.cluster.nodes().filter((node) => node.nodeId !== this.cluster.nodeId && loadScore(node.load) < score).length;
  }
}
