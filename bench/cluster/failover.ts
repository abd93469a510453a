import { io as connect, type Socket } from 'socket.io-client';
import type { NodeProcess } from '../../test/helpers/nodeProcess.js';
import { FrameViewer } from './media.js';
import { PAGE_BACKOFF_MS, PAGE_DISCONNECTED_GRACE_MS, postPageOffer } from '../pageWhep.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * From `killedAtMs`, POSTs a fresh offer to `node` every `everyMs` and keeps each answered
 * one, until any of them gets a video packet: the server's gap, with no client-side delay
 * for noticing the loss. Resolves with kill → first video packet (ms), or undefined.
 */
export async function repostUntilPlaying(
  node: NodeProcess,
  showId: string,
  killedAtMs: number,
  options: { everyMs: number; timeoutMs: number },
): Promise<{ gapMs?: number; attempts: number; statuses: Record<string, number> }> {
  const attempts: FrameViewer[] = [];
  const statuses: Record<string, number> = {};
  const playing = () => attempts.find((a) => a.firstVideoAtMs !== undefined);
  try {
    while (!playing() && performance.now() - killedAtMs < options.timeoutMs) {
      const started = performance.now();
      const attempt = new FrameViewer(node.nodeId);
      const status = await attempt.watch(node, showId, 3_000).catch(() => 0);
      statuses[status || 'network'] = (statuses[status || 'network'] ?? 0) + 1;
      if (status === 201) attempts.push(attempt);
      else await attempt.close();
      await sleep(Math.max(0, options.everyMs - (performance.now() - started)));
    }
    const deadline = killedAtMs + options.timeoutMs;
    while (!playing() && performance.now() < deadline) await sleep(5);
    const first = attempts.map((a) => a.firstVideoAtMs).filter((t): t is number => t !== undefined);
    return {
      ...(first.length && { gapMs: Math.min(...first) - killedAtMs }),
      attempts: Object.values(statuses).reduce((a, b) => a + b, 0),
      statuses,
    };
  } finally {
    await Promise.all(attempts.map((a) => a.close()));
  }
}


/**
 * A viewer that behaves as the viewer page does (client/common/whep.js and viewer.js): it
 * watches at `node`, holds a /viewer socket (reconnecting as socket.io does) for
 * `session_closed`, and on a lost session, a failed connection or a disconnection past its
 * grace it leaves and POSTs again after the page's backoff, moving to an alternate node
 * (`X-OnAir-Alternates`) when a connection fails or a node is unreachable.
 */
export class PageLikeViewer {
  private current: FrameViewer | undefined;
  private endpoint: string;
  private alternates: string[] = [];
  private token: string | undefined;
  private socket: Socket | undefined;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** What made it reconnect, in order (for the report). */
  readonly reasons: string[] = [];
  /** Set when the kill happens: the first video packet of a session opened after it ends the measurement. */
  armedAtMs: number | undefined;
  recoveredAtMs: number | undefined;
  servedBy = '';

  constructor(
    node: NodeProcess,
    private readonly showId: string,
  ) {
    this.endpoint = `${node.url}/whep/${showId}`;
  }

  async start(): Promise<void> {
    await this.connect();
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 20_000;
      const check = () =>
        this.current?.firstVideoAtMs !== undefined
          ? resolve()
          : Date.now() > deadline
            ? reject(new Error('the page-like viewer did not play'))
            : setTimeout(check, 20);
      check();
    });
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const viewer = new FrameViewer('page');
    this.current = viewer;
    const pc = viewer.viewer.pc;
    pc.connectionStateChange.subscribe((state) => this.onConnectionState(viewer, state));
    const reply = await postPageOffer(this.endpoint, await viewer.viewer.createOffer(), this.token);
    if (viewer !== this.current) return;
    if (!reply.ok) {
      if (reply.network) this.failOver();
      if (reply.tokenRejected) this.token = undefined;
      return this.retry(reply.code);
    }
    if (reply.minted && reply.minted !== this.token) {
      this.token = reply.minted;
      this.openSocket(reply.servedBy);
    }
    viewer.location = reply.location;
    this.servedBy = reply.servedBy;
    if (reply.alternates) this.alternates = reply.alternates;
    await viewer.viewer.acceptAnswer(reply.answer).catch((error: Error) => this.retry(`answer: ${error.message}`));
    // Only sessions opened after the kill count for the recovery.
    viewer.firstVideoAtMs = undefined;
    const armed = this.armedAtMs;
    const watch = setInterval(() => {
      if (viewer !== this.current || this.stopped) return clearInterval(watch);
      if (viewer.firstVideoAtMs === undefined) return;
      clearInterval(watch);
      if (armed !== undefined && this.recoveredAtMs === undefined)
        this.recoveredAtMs = viewer.firstVideoAtMs;
    }, 5);
  }

  private openSocket(origin: string): void {
    this.socket?.close();
    // The page's socket: socket.io's defaults (it reconnects by itself), on the node that served the WHEP answer.
    const socket = connect(`${origin}/viewer`, {
      auth: { token: this.token },
      transports: ['websocket'],
    });
    socket.on('session_closed', ({ sessionId }: { sessionId: string }) => {
      if (this.current?.location?.endsWith(`/${sessionId}`)) this.retry('session_closed');
    });
    // The page's `whep.nodeGone`: the connection to the node dropped, and it served our video too.
    socket.on('disconnect', (reason: string) => {
      const location = this.current?.location;
      if (!['transport close', 'transport error', 'ping timeout'].includes(reason) || !location) return;
      if (new URL(location, origin).origin !== new URL(origin).origin) return;
      this.failOver();
      this.retry(`socket ${reason}`);
    });
    this.socket = socket;
  }

  private onConnectionState(viewer: FrameViewer, state: string): void {
    if (viewer !== this.current || this.stopped) return;
    if (state === 'connected') {
      this.attempt = 0;
      clearTimeout(this.timer);
    } else if (state === 'failed' || state === 'closed') {
      this.failOver();
      this.retry(`connection ${state}`);
    } else if (state === 'disconnected') {
      clearTimeout(this.timer);
      this.timer = setTimeout(
        () => viewer.viewer.pc.connectionState !== 'connected' && this.retry('connection lost'),
        PAGE_DISCONNECTED_GRACE_MS,
      );
    }
  }

  private failOver(): void {
    const next = this.alternates.shift();
    if (!next) return;
    this.alternates.push(this.endpoint);
    this.endpoint = next;
  }

  private retry(reason: string): void {
    if (this.stopped) return;
    this.reasons.push(
      `${this.armedAtMs === undefined ? '' : `+${Math.round(performance.now() - this.armedAtMs)} ms `}${reason}`,
    );
    const old = this.current;
    this.current = undefined;
    void old?.close();
    const delay = PAGE_BACKOFF_MS[Math.min(this.attempt, PAGE_BACKOFF_MS.length - 1)]!;
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), delay);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
    await this.current?.close();
  }
}
