import { EnhancedEventEmitter } from '../../lib/EnhancedEventEmitter.js';
import type { Encoder } from '../../pipeline/encode/Encoder.js';
import type { LiveLane } from '../../pipeline/lanes/live/LiveLane.js';
import type { ShowSession } from '../../pipeline/show/ShowSession.js';
import type { SfuIngestSink, StreamClockSync } from '../sfu/SfuIngestSink.js';
import type { Sfu } from '../sfu/Sfu.js';
import type { ShowCues } from '../../pipeline/cues/ShowCues.js';
import { KnowledgeBase } from '../../pipeline/knowledge/KnowledgeBase.js';

export type ShowState = 'live' | 'ended';

export interface ShowRecord {
  id: string;
  title: string;
  state: ShowState;
  createdAt: string;
  endedAt?: string;
  /** The cluster node that runs it (NODE_ID). */
  node?: string;
  /** What another node needs to take the show over if its node dies. */
  persona?: string;
  testCard?: boolean;
}

export interface ShowInfo extends ShowRecord {
  viewers: number;
  /** `keyframesRequested`: keyframes the SFU asked for (viewers joining, PLI/FIR), beyond the regular GOP, by the current encoder. */
  encoder: { name: string; hardware: boolean; running: boolean; restarts: number; keyframesRequested: number };
  video: { codec: string; width: number; height: number; fps: number; pictureRate: number; degradeLevel: number };
  stream: { streamTimeMs: number; framesProduced: number; framesLate: number; framesRepeated: number; framesDropped: number };
  presenter: { persona: string; speaking: string | null; faceSafeArea: { x: number; y: number; width: number; height: number } } | null;
  /** The show's outputs besides WebRTC viewers: `sfu`, `recording`, `hls`. */
  outputs: string[];
}

export type ShowEvents = {
  ended: [];
  clocksync: [sync: StreamClockSync];
};

export interface ShowParts {
  sfu: Sfu;
  session: ShowSession;
  /** The WebRTC output; it maps viewers' RTP timestamps to the show clock. */
  ingest: SfuIngestSink;
  /** Present when the source is the presenter; the test card takes no cues. */
  cues?: ShowCues;
  node?: string;
  /** When a show taken over from a dead node was first created. */
  createdAt?: string;
}

/**
 * A live show as the server sees it: its record (title, state), its media session and the
 * SFU output viewers watch. The session owns the media; this adds what HTTP and sockets show.
 */
export class Show extends EnhancedEventEmitter<ShowEvents> {
  private _state: ShowState = 'live';
  private endedAt: string | undefined;
  private readonly createdAt: string;
  /** What the presenter answers viewers' questions from (PUT /api/shows/:id/knowledge, docs/knowledge.md). */
  knowledge: KnowledgeBase = KnowledgeBase.EMPTY;

  constructor(
    readonly id: string,
    readonly title: string,
    private readonly parts: ShowParts,
  ) {
    super();
    this.createdAt = parts.createdAt ?? new Date().toISOString();
    parts.ingest.on('clocksync', (sync) => this.safeEmit('clocksync', sync));
  }

  get session(): ShowSession {
    return this.parts.session;
  }

  get lane(): LiveLane {
    return this.parts.session.lane;
  }

  get encoder(): Encoder {
    return this.parts.session.encoder;
  }

  get cues(): ShowCues | undefined {
    return this.parts.cues;
  }

  /** Undefined until the first packet of the show reached the ingest. */
  get clockSync(): StreamClockSync | undefined {
    return this.parts.ingest.clockSync;
  }

  get state(): ShowState {
    return this._state;
  }

  record(): ShowRecord {
    const { node, cues } = this.parts;
    return {
      id: this.id,
      title: this.title,
      state: this._state,
      createdAt: this.createdAt,
      ...(this.endedAt && { endedAt: this.endedAt }),
      ...(node && { node }),
      ...(cues ? { persona: cues.currentPersona.id } : { testCard: true }),
    };
  }

  info(): ShowInfo {
    const { session, sfu, cues } = this.parts;
    const { settings, encoderChoice, encoder, lane } = session;
    return {
      ...this.record(),
      viewers: sfu.viewerCount(this.id),
      encoder: { name: encoderChoice.name, hardware: encoderChoice.hardware, running: encoder.running, restarts: session.encoderRestarts, keyframesRequested: encoder.keyframesRequested },
      video: {
        codec: settings.videoCodec,
        width: encoder.settings.width,
        height: encoder.settings.height,
        fps: settings.fps,
        pictureRate: settings.fps / lane.pictureEvery,
        degradeLevel: session.degradeLevel,
      },
      stream: {
        streamTimeMs: Math.round(lane.streamTimeMs),
        framesProduced: lane.stats.framesProduced,
        framesLate: lane.stats.framesLate,
        framesRepeated: lane.stats.framesRepeated,
        framesDropped: encoder.droppedFrames,
      },
      presenter: cues ? { persona: cues.currentPersona.id, speaking: cues.speaking ?? null, faceSafeArea: cues.faceSafeArea } : null,
      outputs: session.sinks.map((sink) => sink.kind),
    };
  }

  /** Ends the show: drops its cues, then the session closes the lane, the encoder and every output. */
  async end(): Promise<void> {
    if (this._state === 'ended') return;
    this._state = 'ended';
    this.parts.cues?.interrupt();
    this.endedAt = new Date().toISOString();
    await this.parts.session.close();
    this.safeEmit('ended');
  }
}
