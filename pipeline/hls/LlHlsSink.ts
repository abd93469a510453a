import { CodedError } from '../../lib/errors/CodedError.js';
import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import { MediaSink } from '../../lib/media/MediaSink.js';
import type { EncoderSettings } from '../encode/EncoderSettings.js';
import { HlsError } from './errors.js';
import { hlsTiming, type HlsTiming } from './hlsTiming.js';
import { HlsWindow } from './HlsWindow.js';
import { renderMediaPlaylist } from './mediaPlaylist.js';
import { renderMultivariantPlaylist } from './multivariantPlaylist.js';
import { Waiters } from './Waiters.js';

export interface LlHlsSinkOptions {
  /** Wall clock of stream time 0 (the live lane's `startedAtEpochMs`): program date times start here. */
  streamEpochMs: number;
  settings: Pick<EncoderSettings, 'fps' | 'keyframeIntervalMs' | 'videoBitrateKbps' | 'audioBitrateKbps'>;
}

/** A blocking playlist request: RFC 8216bis `_HLS_msn` and `_HLS_part`. */
export interface PlaylistRequest {
  msn?: number;
  part?: number;
}

/** The newest this much complete media is listed, and this much stays loadable. */
const LIST_MS = 6_000;
const RETAIN_MS = 10_000;
/** How long a segment or part stays loadable after the playlist stopped listing it. */
export const UNLISTED_MEDIA_KEPT_MS = RETAIN_MS - LIST_MS;
/** The encoder's AAC rate at least (ffmpegArgs), and container overhead. */
const AUDIO_MIN_KBPS = 96;
const OVERHEAD = 1.1;

/**
 * The show's Low-Latency HLS output: each fragment of the encoder's fMP4 becomes an
 * EXT-X-PART, parts group into segments of about a second, each generation of the encoder
 * gets its EXT-X-MAP and a discontinuity. Everything lives in a bounded in-memory window and
 * is served by the HTTP layer through the methods below, which hold blocking requests (a
 * playlist with a part not there yet, the preload-hinted part) until it exists, for a bounded time.
 */
export class LlHlsSink extends MediaSink {
  readonly kind = 'hls';
  readonly timing: HlsTiming;
  /** Fragments packaged and the time spent on them (bench:hls reports it per show). */
  readonly stats = { fragments: 0, packMs: 0 };
  private readonly window: HlsWindow;
  private readonly waiters = new Waiters();
  private closed = false;

  constructor(private readonly options: LlHlsSinkOptions) {
    super();
    this.timing = hlsTiming(options.settings);
    this.window = new HlsWindow({ streamEpochMs: options.streamEpochMs, segmentSplitMs: this.timing.segmentSplitMs, listMs: LIST_MS, retainMs: RETAIN_MS });
  }

  override init(init: EncodedInit): void {
    this.window.addInit(init);
  }

  override fragment(fragment: EncodedFragment): void {
    const startMs = performance.now();
    if (this.window.addFragment(fragment)) this.waiters.check();
    this.stats.fragments++;
    this.stats.packMs += performance.now() - startMs;
  }

  /**
   * The media playlist. With `msn` (and `part`) it is a blocking reload: it answers once that
   * part, or a later one, is listed; far ahead it fails at once (400), and a part that does not
   * come within three target durations fails with 503. Without, it waits only for the first part.
   */
  async mediaPlaylist({ msn, part }: PlaylistRequest = {}): Promise<string> {
    this.assertOpen();
    if (msn === undefined) {
      await this.until(() => this.window.lastPart !== undefined, 'the first part');
    } else {
      if (this.window.tooFarAhead(msn, part, this.timing.advancePartLimit)) {
        throw new HlsError('HLS_TOO_FAR_AHEAD', `segment ${msn}${part === undefined ? '' : ` part ${part}`} is too far past the live edge`);
      }
      await this.until(() => this.window.reached(msn, part), `segment ${msn}${part === undefined ? '' : ` part ${part}`}`);
    }
    return renderMediaPlaylist({ timing: this.timing, segments: this.window.listed(), nextSeq: this.window.nextSeq });
  }

  async multivariantPlaylist(): Promise<string> {
    this.assertOpen();
    await this.until(() => this.window.currentInit !== undefined, 'the init segment');
    const { videoBitrateKbps, audioBitrateKbps, fps } = this.options.settings;
    const bandwidthBps = (videoBitrateKbps + Math.max(audioBitrateKbps, AUDIO_MIN_KBPS)) * 1000 * OVERHEAD;
    return renderMultivariantPlaylist({ init: this.window.currentInit!, bandwidthBps, fps });
  }

  /**
   * A part's bytes. The part the preload hint names (or one a little later) is held until it
   * exists; one that has left the window, or was never going to exist, is not found.
   */
  async part(seq: number): Promise<Buffer> {
    this.assertOpen();
    const next = this.window.nextSeq;
    if (seq >= next && seq <= next + this.timing.advancePartLimit) await this.until(() => this.window.part(seq) !== undefined, `part ${seq}`);
    const part = this.window.part(seq);
    if (!part) throw notFound(`part ${seq}`);
    return part.data;
  }

  /** A complete segment's bytes. */
  segment(msn: number): Buffer {
    this.assertOpen();
    const segment = this.window.segment(msn);
    if (!segment) throw notFound(`segment ${msn}`);
    return segment.data();
  }

  initSegment(generation: number): Buffer {
    this.assertOpen();
    const init = this.window.init(generation);
    if (!init) throw notFound(`init segment ${generation}`);
    return init.data;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.rejectAll(new CodedError('SHOW_ENDED', 'the show has ended'));
  }

  private assertOpen(): void {
    if (this.closed) throw new CodedError('SHOW_ENDED', 'the show has ended');
  }

  private until(ready: () => boolean, what: string): Promise<void> {
    const waitMs = this.timing.blockingWaitMs;
    return this.waiters.wait(ready, waitMs, () => new HlsError('HLS_NOT_AVAILABLE', `${what} did not arrive within ${waitMs} ms`, 1));
  }
}

const notFound = (what: string) => new HlsError('HLS_MEDIA_NOT_FOUND', `${what} is not in the live window`);
