import { io as connect, type Socket } from 'socket.io-client';
import type { RtpPacket } from 'werift';
import { WeriftViewer } from '../../test/helpers/weriftViewer.js';
import { PAGE_BACKOFF_MS, PAGE_DISCONNECTED_GRACE_MS, postPageOffer } from '../pageWhep.js';
import { epochMs } from './clock.js';
/** Video packets arrive every ≤ 33 ms at 30 fps; a silence past this is a gap worth reporting. */
export const GAP_MS = 250;

interface ClockSync {
  streamTimeMs: number;
  audioRtpTimestamp: number;
  videoRtpTimestamp: number;
}

/** RTP sequence numbers of one track of one session, extended past 16-bit wrap. */
class SequenceTrack {
  private cycles = 0;
  private last = -1;
  max = -1;
  first = -1;

  /** Returns how far the highest extended sequence number moved. */
  add(seq: number): number {
    if (this.last < 0) {
      this.last = seq;
      this.first = this.max = seq;
      return 1;
    }
    if (seq < this.last && this.last - seq > 0x8000) this.cycles++;
    else if (seq > this.last && seq - this.last > 0x8000) return 0; // a late packet from before the wrap
    this.last = seq;
    const extended = this.cycles * 0x10000 + seq;
    if (extended <= this.max) return 0;
    const moved = extended - this.max;
    this.max = extended;
    return moved;
  }
}

export interface ViewerHooks {
  /** Video stopped for `GAP_MS` or more and came back (epoch ms). */
  gap(startMs: number, endMs: number): void;
  /** The viewer left its session and POSTs again, as the page does; the reason in a word. */
  drop(reason: string): void;
  lag(ms: number): void;
}

/**
 * A WebRTC viewer that behaves as the viewer page does (client/common/whep.js, viewer.js):
 * WHEP at the show's endpoint, its minted token kept for later offers, a /viewer socket
 * (joined, reconnecting as socket.io does) for `session_closed` and the stream clock, and on a
 * lost session or a failed connection it POSTs again after the page's backoff. It counts RTP
 * sequence numbers (loss) and notes gaps in video, and, when `sampleLag`, its playout lag:
 * the show's stream time now − the stream time of the video it just received.
 */
export class SoakViewer {
  private current:
    | { viewer: WeriftViewer; location?: string; tracks: Record<'audio' | 'video', SequenceTrack> }
    | undefined;
  private token: string | undefined;
  private socket: Socket | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private sync: ClockSync | undefined;
  private streamEpochMs: number | undefined;
  private lastLagAtMs = 0;
  /** Epoch ms of the last video packet, of any session. */
  lastVideoAtMs: number | undefined;
  /** Packets the sequence numbers say were sent, and those that arrived, over all sessions. */
  expected = 0;
  received = 0;

  constructor(
    private readonly url: string,
    private readonly showId: string,
    private readonly sampleLag: boolean,
    private readonly hooks: ViewerHooks,
  ) {}

  /** Resolves once video plays (or rejects after `timeoutMs`). */
  async start(timeoutMs = 30_000): Promise<void> {
    await this.connect();
    const deadline = Date.now() + timeoutMs;
    while (this.lastVideoAtMs === undefined) {
      if (Date.now() > deadline) throw new Error('the viewer did not play');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const viewer = new WeriftViewer({
      keepPackets: false,
      onPacket: (kind, packet) => this.onPacket(viewer, kind, packet),
    });
    const session = {
      viewer,
      tracks: { audio: new SequenceTrack(), video: new SequenceTrack() },
    } as NonNullable<typeof this.current>;
    this.current = session;
    viewer.pc.connectionStateChange.subscribe((state) => this.onConnectionState(viewer, state));
    const reply = await postPageOffer(`${this.url}/whep/${this.showId}`, await viewer.createOffer(), this.token);
    if (session !== this.current) return;
    if (!reply.ok) {
      if (reply.tokenRejected) this.token = undefined;
      return this.retry(reply.code);
    }
    if (reply.minted && reply.minted !== this.token) {
      this.token = reply.minted;
      this.openSocket();
    }
    session.location = reply.location;
    await viewer.acceptAnswer(reply.answer).catch((error: Error) => this.retry(`answer: ${error.message}`));
  }

  private onPacket(viewer: WeriftViewer, kind: 'audio' | 'video', packet: RtpPacket): void {
    const session = this.current;
    if (session?.viewer !== viewer) return;
    this.expected += session.tracks[kind].add(packet.header.sequenceNumber);
    this.received++;
    if (kind !== 'video') return;
    const now = epochMs();
    if (this.lastVideoAtMs !== undefined && now - this.lastVideoAtMs >= GAP_MS)
      this.hooks.gap(this.lastVideoAtMs, now);
    this.lastVideoAtMs = now;
    if (
      !this.sampleLag ||
      !this.sync ||
      this.streamEpochMs === undefined ||
      now - this.lastLagAtMs < 250
    )
      return;
    this.lastLagAtMs = now;
    // Signed 32-bit difference: right across the RTP timestamp's wrap.
    const ticks = (packet.header.timestamp - this.sync.videoRtpTimestamp) | 0;
    const packetStreamMs = this.sync.streamTimeMs + ticks / 90;
    this.hooks.lag(now - this.streamEpochMs - packetStreamMs);
  }

  private openSocket(): void {
    this.socket?.close();
    // The page's socket: socket.io's defaults (it reconnects by itself), joined on every connect.
    const socket = connect(`${this.url}/viewer`, {
      auth: { token: this.token },
      transports: ['websocket'],
    });
    socket.on('connect', () => {
      socket
        .timeout(10_000)
        .emitWithAck('join', { consent: false, language: 'en-US', region: 'US' })
        .then(
          (reply: {
            ok: boolean;
            result?: { clock: ClockSync | null; streamEpochMs?: number };
          }) => {
            if (!reply.ok || !reply.result) return;
            if (reply.result.clock) this.sync = reply.result.clock;
            if (reply.result.streamEpochMs !== undefined)
              this.streamEpochMs = reply.result.streamEpochMs;
          },
        )
        .catch(() => undefined);
    });
    socket.on('clock', (sync: ClockSync) => (this.sync = sync));
    socket.on('session_closed', ({ sessionId }: { sessionId: string }) => {
      if (this.current?.location?.endsWith(`/${sessionId}`)) this.retry('session_closed');
    });
    this.socket = socket;
  }

  private onConnectionState(viewer: WeriftViewer, state: string): void {
    if (viewer !== this.current?.viewer || this.stopped) return;
    if (state === 'connected') {
      this.attempt = 0;
      clearTimeout(this.timer);
    } else if (state === 'failed' || state === 'closed') {
      this.retry(`connection ${state}`);
    } else if (state === 'disconnected') {
      clearTimeout(this.timer);
      this.timer = setTimeout(
        () => viewer.pc.connectionState !== 'connected' && this.retry('connection lost'),
        PAGE_DISCONNECTED_GRACE_MS,
      );
    }
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    this.hooks.drop(reason);
    const old = this.current;
    this.current = undefined;
    if (old) void this.leave(old);
    const delay = PAGE_BACKOFF_MS[Math.min(this.attempt, PAGE_BACKOFF_MS.length - 1)]!;
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  private async leave(session: NonNullable<typeof this.current>): Promise<void> {
    await session.viewer.close();
    if (session.location)
      await fetch(session.location, { method: 'DELETE', signal: AbortSignal.timeout(2_000) }).catch(
        () => undefined,
      );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
    const session = this.current;
    this.current = undefined;
    if (session) await this.leave(session);
  }
}
