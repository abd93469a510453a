import type { ViewerState } from '../sfu/Sfu.js';

/** Who owns which WHEP session; the SFU itself only knows session ids. */
export interface WhepSession {
  sessionId: string;
  showId: string;
  viewerId: string;
  /** The client's address key (an IPv4 address or an IPv6 /64). */
  address: string;
  /** A host's preview: it may use the reserve above the viewer cap. */
  host: boolean;
  createdAtMs: number;
}

export interface WhepSessionPolicy {
  /** A session that has not connected (ICE and DTLS) this long after its answer is removed. */
  connectGraceMs: number;
  /** A session whose ICE is `disconnected` or `failed` (consent lost) this long is removed. */
  disconnectGraceMs: number;
}

interface Tracked extends WhepSession {
  connected: boolean;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The WHEP sessions the server admitted, and how long each may go without a connection.
 * Every session here counts toward the caps; one that does not connect within the connect
 * grace, or loses its connection (ICE consent freshness: the SFU reports `disconnected` or
 * `failed`) for longer than the disconnect grace, is forgotten and handed to `expire`, so it
 * stops counting at once, whatever the SFU backend does about it.
 */
export class WhepSessions {
  private readonly sessions = new Map<string, Tracked>();

  constructor(
    private readonly policy: WhepSessionPolicy,
    private readonly expire: (session: WhepSession, reason: 'never connected' | 'connection lost') => void = () => undefined,
  ) {}

  add(session: WhepSession): void {
    const tracked: Tracked = { ...session, connected: false, timer: undefined };
    this.sessions.set(session.sessionId, tracked);
    this.arm(tracked, this.policy.connectGraceMs, 'never connected');
  }

  get(sessionId: string): WhepSession | undefined {
    return this.sessions.get(sessionId);
  }

  delete(sessionId: string): boolean {
    const tracked = this.sessions.get(sessionId);
    if (!tracked) return false;
    clearTimeout(tracked.timer);
    return this.sessions.delete(sessionId);
  }

  /** The SFU's view of a session's connection. */
  onState(sessionId: string, state: ViewerState): void {
    const tracked = this.sessions.get(sessionId);
    if (!tracked) return;
    if (state === 'connected') {
      tracked.connected = true;
      clearTimeout(tracked.timer);
      tracked.timer = undefined;
    } else if ((state === 'disconnected' || state === 'failed') && tracked.connected) {
      tracked.connected = false;
      this.arm(tracked, this.policy.disconnectGraceMs, 'connection lost');
    }
  }

  /** Sessions of a show that count toward its viewer cap (hosts' previews apart), or all of them. */
  count(showId: string, which: 'viewers' | 'all'): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.showId === showId && (which === 'all' || !session.host)) count++;
    return count;
  }

  /** A viewer's sessions of a show, oldest first. */
  ofViewer(showId: string, viewerId: string): WhepSession[] {
    return [...this.sessions.values()].filter((s) => s.showId === showId && s.viewerId === viewerId).sort((a, b) => a.createdAtMs - b.createdAtMs);
  }

  /** Viewer sessions (not hosts') from one address key, over all shows. */
  fromAddress(address: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (session.address === address && !session.host) count++;
    return count;
  }

  get size(): number {
    return this.sessions.size;
  }

  close(): void {
    for (const session of this.sessions.values()) clearTimeout(session.timer);
    this.sessions.clear();
  }

  private arm(tracked: Tracked, ms: number, reason: 'never connected' | 'connection lost'): void {
    clearTimeout(tracked.timer);
    tracked.timer = setTimeout(() => {
      if (this.sessions.get(tracked.sessionId) !== tracked) return;
      this.delete(tracked.sessionId);
      this.expire(tracked, reason);
    }, ms);
    tracked.timer.unref();
  }
}
