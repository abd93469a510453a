import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import { settleWithin } from '../../lib/settleWithin.js';
import { MediaSink, type MediaSinkEvents } from '../../lib/media/MediaSink.js';
import { renderPlaylist } from './hlsPlaylist.js';
import { RecordedSegments } from './RecordedSegments.js';
import { initFileName, PLAYLIST_FILE, recordingBlobKey, segmentFileName, SIDECAR_FILE } from './recordingFiles.js';
import type { RecordingSidecar, RecordingState } from './RecordingSidecar.js';
import type { RecordingStore, RecordingSummary } from './RecordingStore.js';
import { RecordingTimeline } from './RecordingTimeline.js';
import { SegmentFile } from './SegmentFile.js';
import { WriteQueue } from './WriteQueue.js';

export interface RecordingSinkOptions {
  id: string;
  showId: string;
  title: string;
  store: RecordingStore;
  /** Wall time (epoch ms) of stream time 0, the live lane's start: program date times and the sidecar's wall times. */
  streamEpochMs: number;
  /** Segments are cut at the first keyframe at or past this; 2 s keeps seeking fine and files few. */
  targetSegmentMs?: number;
  /** Bytes the disk may fall behind before the recording fails rather than buffer on. */
  maxPendingBytes?: number;
  /** How long close() waits for a stalled disk before it gives the recording up as failed. */
  closeTimeoutMs?: number;
}

export type RecordingSinkEvents = MediaSinkEvents & {
  /** close() is done: playlist, sidecar and index entry are final (as far as the disk allowed). */
  closed: [summary: RecordingSummary];
};

interface OpenSegment {
  name: string;
  initName: string;
  generation: number;
  startStreamTimeMs: number;
  durationMs: number;
}

const DEFAULT_TARGET_SEGMENT_MS = 2_000;
const DEFAULT_MAX_PENDING_BYTES = 32 * 1024 * 1024;
/** A show's end waits for its recording's close: a hung disk must not hold it up for long. */
const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/**
 * While recording the playlist is rewritten with every this many segments: often enough to
 * watch along and to survive a crash, rarely enough that a long show's growing playlist is not
 * rewritten every 2 s.
 */
const PLAYLIST_EVERY_SEGMENTS = 5;
/** Fragment durations are float milliseconds; a keyframe this close to the target still cuts. */
const CUT_TOLERANCE_MS = 1;

/**
 * Records a show as HLS VOD into its folder of the asset store's blob store: fMP4 segments of
 * about 2 s, each starting at a keyframe, streamed to disk fragment by fragment; one init
 * segment per encoder generation, with a discontinuity at each new one; the playlist and a
 * sidecar (chapters, overlay timeline) at stop. The media path only queues writes: a disk that
 * fails or falls behind makes the sink emit `failed`, and the show goes on without it.
 */
export class RecordingSink extends MediaSink<RecordingSinkEvents> {
  readonly kind = 'recording';
  readonly timeline = new RecordingTimeline();
  readonly startedAt = new Date().toISOString();
  private readonly key: string;
  private readonly targetSegmentMs: number;
  private readonly writes: WriteQueue;
  private readonly segments = new RecordedSegments();
  private readonly initsWritten = new Set<number>();
  private generationInit: EncodedInit | undefined;
  private video: RecordingSidecar['video'] = null;
  private awaitingKeyframe = true;
  private open: OpenSegment | undefined;
  /** The file of the open segment, owned by the write queue. */
  private writer: SegmentFile | undefined;
  private sequence = 0;
  private initBytes = 0;
  private playlistBytes = 0;
  private state_: RecordingState = 'recording';
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RecordingSinkOptions) {
    super();
    this.key = recordingBlobKey(options.id);
    this.targetSegmentMs = options.targetSegmentMs ?? DEFAULT_TARGET_SEGMENT_MS;
    this.writes = new WriteQueue(options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES, (error) => this.safeEmit('failed', error));
  }

  get id(): string {
    return this.options.id;
  }

  get showId(): string {
    return this.options.showId;
  }

  get state(): RecordingState {
    return this.state_;
  }

  /** A new generation: its timestamps restart, so the open segment ends and the next starts at its first keyframe. */
  override init(init: EncodedInit): void {
    if (this.closing) return;
    this.cut();
    this.generationInit = init;
    this.video = { codecs: init.codecs, width: init.width, height: init.height };
    this.awaitingKeyframe = true;
  }

  override fragment(fragment: EncodedFragment): void {
    const init = this.generationInit;
    if (this.closing || !init || fragment.generation !== init.generation) return;
    // A sink attached mid-show starts at a keyframe: a player cannot start anywhere else.
    if (this.awaitingKeyframe && !fragment.independent) return;
    this.awaitingKeyframe = false;
    if (this.open && fragment.independent && this.open.durationMs >= this.targetSegmentMs - CUT_TOLERANCE_MS) this.cut();
    const segment = this.open ?? this.startSegment(init, fragment.startStreamTimeMs);
    segment.durationMs += fragment.durationMs;
    const { data } = fragment;
    this.writes.push(data.length, () => this.writer!.append(data));
  }

  summary(): RecordingSummary {
    const { id, showId, title } = this.options;
    return { id, showId, title, startedAt: this.startedAt, durationMs: Math.round(this.segments.durationMs), bytes: this.bytes, state: this.state_ };
  }

  /** The sidecar as of now: while recording it has no stop yet. */
  sidecar(): RecordingSidecar {
    const { id, showId, title, streamEpochMs } = this.options;
    const start = this.segments.startStreamTimeMs;
    const stop = this.state_ === 'recording' ? undefined : this.segments.endStreamTimeMs;
    const wall = (streamTimeMs: number | undefined) => (streamTimeMs === undefined ? null : new Date(streamEpochMs + streamTimeMs).toISOString());
    return {
      version: 1,
      id,
      showId,
      title,
      state: this.state_,
      startedAt: wall(start),
      stoppedAt: wall(stop),
      startStreamTimeMs: start === undefined ? null : Math.round(start),
      stopStreamTimeMs: stop === undefined ? null : Math.round(stop),
      durationMs: Math.round(this.segments.durationMs),
      bytes: this.bytes,
      segments: this.segments.count,
      playlist: PLAYLIST_FILE,
      video: this.video,
      ...this.timeline.resolve(this.segments),
      timelineDropped: this.timeline.dropped,
    };
  }

  /** Ends the recording: the last segment, then the VOD playlist, the sidecar and the index entry. */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private get bytes(): number {
    return this.initBytes + this.segments.bytes + this.playlistBytes;
  }

  private startSegment(init: EncodedInit, startStreamTimeMs: number): OpenSegment {
    const initName = initFileName(init.generation);
    if (!this.initsWritten.has(init.generation)) {
      this.initsWritten.add(init.generation);
      this.writes.push(init.data.length, async () => {
        this.initBytes += await this.options.store.blobs.writeBytes(this.key, initName, init.data);
      });
    }
    this.open = { name: segmentFileName(++this.sequence), initName, generation: init.generation, startStreamTimeMs, durationMs: 0 };
    this.writes.push(0, async () => {
      this.writer = await SegmentFile.open(this.options.store.blobs);
    });
    return this.open;
  }

  private cut(): void {
    const segment = this.open;
    if (!segment) return;
    this.open = undefined;
    this.writes.push(0, async () => {
      const writer = this.writer!;
      this.writer = undefined;
      this.segments.add({ ...segment, bytes: await writer.commit(this.key, segment.name) });
      const count = this.segments.count;
      if (count === 1 || count % PLAYLIST_EVERY_SEGMENTS === 0) await this.writePlaylist(false);
      // The index is metadata: the files are the recording, so a Redis hiccup does not fail it.
      void this.options.store.save(this.summary()).catch(() => undefined);
    });
  }

  private async writePlaylist(ended: boolean): Promise<void> {
    const text = renderPlaylist(this.segments.all, { ended, targetSegmentMs: this.targetSegmentMs, streamEpochMs: this.options.streamEpochMs });
    this.playlistBytes = await this.options.store.blobs.writeBytes(this.key, PLAYLIST_FILE, Buffer.from(text));
  }

  private async finish(): Promise<void> {
    this.cut();
    const timeoutMs = this.options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    if (!(await settleWithin(this.writeFinalFiles(), timeoutMs))) {
      // A disk that hangs gets nothing more, and the show's end does not wait for it.
      this.writes.abandon(`the disk did not finish the recording within ${timeoutMs} ms`);
      this.state_ = 'failed';
    }
    await this.options.store.save(this.summary()).catch(() => undefined);
    this.safeEmit('closed', this.summary());
  }

  /** What reached the disk stays playable, also after a failure (a full disk may refuse this too). */
  private async writeFinalFiles(): Promise<void> {
    await this.writes.drained();
    this.state_ = this.writes.error ? 'failed' : 'complete';
    try {
      // Still open only when a write failed part-way through the segment.
      await this.writer?.discard();
      this.writer = undefined;
      await this.writePlaylist(true);
      await this.options.store.blobs.writeBytes(this.key, SIDECAR_FILE, Buffer.from(JSON.stringify(this.sidecar(), null, 2)));
    } catch {
      this.state_ = 'failed';
    }
  }
}
