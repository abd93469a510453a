import type { FastifyBaseLogger } from 'fastify';
import { CodedError } from '../../lib/errors/CodedError.js';
import { newRecordingId, requireRecordingFileName, requireRecordingId } from '../../pipeline/recording/recordingFiles.js';
import type { RecordingSidecar } from '../../pipeline/recording/RecordingSidecar.js';
import { RecordingSink } from '../../pipeline/recording/RecordingSink.js';
import type { RecordingStore, RecordingSummary } from '../../pipeline/recording/RecordingStore.js';
import type { Show } from '../shows/Show.js';
import type { ShowManager } from '../shows/ShowManager.js';
import { followShow } from './followShow.js';

export interface ShowRecordingsOptions {
  shows: ShowManager;
  store: RecordingStore;
  /** Record every show from its creation. */
  allShows: boolean;
  /** Recordings started longer ago than this are deleted; 0 keeps them forever. */
  retentionMs: number;
  logger: FastifyBaseLogger;
}

interface LiveRecording {
  sink: RecordingSink;
  show: Show;
}

/** Retention runs at start and then this often. */
const SWEEP_EVERY_MS = 60 * 60_000;

/**
 * The recordings of this process's shows: starts and stops them (a recording is a sink of
 * the show's session, fed with the show's cues and audience for its timeline), lists and
 * deletes them, and enforces retention.
 */
export class ShowRecordings {
  /** By recording id. */
  private readonly live = new Map<string, LiveRecording>();
  private readonly sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: ShowRecordingsOptions) {
    const { shows, logger } = options;
    if (options.allShows) {
      shows.on('created', (show) => void this.start(show.id).catch((error: Error) => logger.warn({ showId: show.id, err: error }, 'show not recorded')));
    }
    if (options.retentionMs > 0) {
      this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS).unref();
      void this.sweep();
    }
  }

  async start(showId: string): Promise<RecordingSummary> {
    const { shows, store, logger } = this.options;
    const show = await shows.requireLive(showId);
    if (this.liveFor(showId)) throw new CodedError('RECORDING_ALREADY_RUNNING', `show ${showId} is already being recorded`);
    const sink = new RecordingSink({ id: newRecordingId(), showId, title: show.title, store, streamEpochMs: show.lane.startedAtEpochMs });
    show.session.attach(sink);
    const unfollow = followShow(show, shows.audience(showId), sink.timeline);
    this.live.set(sink.id, { sink, show });
    const log = logger.child({ showId, recordingId: sink.id });
    sink.once('closed', (summary) => {
      unfollow();
      this.live.delete(sink.id);
      log.info({ state: summary.state, durationMs: summary.durationMs, bytes: summary.bytes }, 'recording ended');
    });
    try {
      await store.save(sink.summary());
    } catch (error) {
      await show.session.detach(sink);
      await store.remove(sink.id).catch(() => undefined);
      throw new CodedError('RECORDING_UNAVAILABLE', `recordings cannot be indexed right now: ${(error as Error).message}`);
    }
    log.info('recording started');
    return sink.summary();
  }

  async stop(showId: string): Promise<RecordingSummary> {
    const recording = this.liveFor(showId);
    if (!recording) {
      await this.options.shows.requireLive(showId);
      throw new CodedError('RECORDING_NOT_RUNNING', `show ${showId} is not being recorded`);
    }
    return this.finish(recording);
  }

  /** Newest first; running recordings with their figures as of now. */
  async list(): Promise<RecordingSummary[]> {
    const stored = await this.available(() => this.options.store.list());
    return stored.map((summary) => this.live.get(summary.id)?.sink.summary() ?? summary);
  }

  async get(id: string): Promise<RecordingSummary & { sidecar: RecordingSidecar | null }> {
    const live = this.live.get(requireRecordingId(id));
    if (live) return { ...live.sink.summary(), sidecar: live.sink.sidecar() };
    const summary = await this.available(() => this.options.store.get(id));
    if (!summary) throw notFound(id);
    return { ...summary, sidecar: (await this.options.store.readSidecar(id)) ?? null };
  }

  /** A running recording is stopped first. */
  async remove(id: string): Promise<void> {
    const live = this.live.get(requireRecordingId(id));
    if (live) await this.finish(live);
    else if (!(await this.available(() => this.options.store.get(id)))) throw notFound(id);
    await this.options.store.remove(id);
    this.options.logger.info({ recordingId: id }, 'recording deleted');
  }

  /** A local path to one of a recording's files, and its size. */
  async file(id: string, name: string): Promise<{ path: string; bytes: number }> {
    const file = await this.options.store.file(requireRecordingId(id), requireRecordingFileName(name));
    if (!file) throw new CodedError('RECORDING_NOT_FOUND', `recording ${id} has no ${name}`);
    return file;
  }

  /** Deletes recordings past retention, except running ones; returns how many. */
  async sweep(nowMs = Date.now()): Promise<number> {
    const { store, retentionMs, logger } = this.options;
    if (retentionMs === 0) return 0;
    let deleted = 0;
    try {
      for (const id of await store.startedBefore(nowMs - retentionMs)) {
        if (this.live.has(id)) continue;
        await store.remove(id);
        deleted++;
      }
    } catch (error) {
      logger.warn({ err: error }, 'recording retention failed; retried at the next sweep');
    }
    if (deleted) logger.info({ deleted, retentionDays: retentionMs / 86_400_000 }, 'old recordings deleted');
    return deleted;
  }

  /** Stops what still runs (shows normally end, and close, their recordings first). */
  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.live.values()].map((recording) => this.finish(recording)));
  }

  private liveFor(showId: string): LiveRecording | undefined {
    return [...this.live.values()].find((recording) => recording.show.id === showId);
  }

  /** Detaching closes the sink (a show that already ended has closed it): either way, wait for its files. */
  private async finish({ sink, show }: LiveRecording): Promise<RecordingSummary> {
    await show.session.detach(sink);
    await sink.close();
    return sink.summary();
  }

  /** The index is in Redis: while it is away, listing fails fast as unavailable, not as a bug. */
  private async available<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new CodedError('RECORDING_UNAVAILABLE', `recordings cannot be listed right now: ${(error as Error).message}`);
    }
  }
}

function notFound(id: string): CodedError {
  return new CodedError('RECORDING_NOT_FOUND', `recording ${id} not found`);
}
