/**
 * Child process: socket.io viewers of one show that act as the viewer page does, one event
 * every `eventIntervalMs` each (staggered): an impression of a new CTA, a dismissal or click of
 * the one on screen (each makes a new decision), a vote on an open poll, else a heartbeat.
 * Times event → the overlay its decision showed, and event → ack; reports once a second.
 * argv[2]: `SocketLoadArgs` as JSON; stops on `{type: 'stop'}`.
 */
import { io, type Socket } from 'socket.io-client';
import { PageCtaEvents } from '../pageEvents.js';
import { epochMs } from './clock.js';
import type { LoadMessage, SocketLoadArgs, SocketTick, StopMessage } from './protocol.js';

const args = JSON.parse(process.argv[2]!) as SocketLoadArgs;
const send = (message: LoadMessage) => process.send!(message);
type Counts = Omit<SocketTick, 'type' | 'atMs' | 'viewers' | 'connected'>;
const fresh = (): Counts => ({
  disconnects: [],
  overlayMs: [],
  ackMs: [],
  sent: 0,
  errors: 0,
  votes: 0,
});
let tick = fresh();
let stopping = false;

class SocketViewer {
  private readonly ctas = new PageCtaEvents();
  private openPoll: { id: string; options: number } | undefined;
  private readonly voted = new Set<string>();
  private sentAtMs = 0;

  constructor(readonly socket: Socket) {
    socket.on('overlay', (o: { decisionId?: string }) => {
      if (!o.decisionId) return;
      if (this.sentAtMs) tick.overlayMs.push(performance.now() - this.sentAtMs);
      this.ctas.shown(o.decisionId);
    });
    socket.on('poll', (p: { id: string; state: string; options: string[] }) => {
      this.openPoll = p.state === 'open' ? { id: p.id, options: p.options.length } : undefined;
    });
    socket.on('disconnect', (reason: string) => {
      if (stopping) return;
      tick.disconnects.push({ atMs: epochMs(), reason });
      // socket.io leaves a disconnection by the server to the app; the page connects again.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1_000);
    });
    // socket.io reconnects by itself (as the page's socket does); every connection joins again.
    socket.on('connect', () => void this.join());
  }

  async join(): Promise<void> {
    const reply = (await this.socket
      .timeout(10_000)
      .emitWithAck('join', {
        consent: Math.random() < 0.6,
        language: Math.random() < 0.3 ? 'es-MX' : 'en-US',
        region: 'US',
      })
      .catch(() => null)) as {
      ok: boolean;
      result?: { poll?: { id: string; state: string; options: string[] } | null };
    } | null;
    if (!reply?.ok) tick.errors++;
    const poll = reply?.result?.poll;
    if (poll?.state === 'open') this.openPoll = { id: poll.id, options: poll.options.length };
  }

  async act(): Promise<void> {
    if (!this.socket.connected) return;
    const [event, payload] = this.nextEvent();
    this.sentAtMs = performance.now();
    const started = this.sentAtMs;
    tick.sent++;
    const reply = (await this.socket
      .timeout(5_000)
      .emitWithAck(event, payload)
      .catch(() => null)) as { ok: boolean } | null;
    if (reply?.ok) tick.ackMs.push(performance.now() - started);
    else tick.errors++;
    this.sentAtMs = 0;
  }

  private nextEvent(): [string, object] {
    if (this.openPoll && !this.voted.has(this.openPoll.id)) {
      this.voted.add(this.openPoll.id);
      tick.votes++;
      return [
        'poll_vote',
        { pollId: this.openPoll.id, option: Math.floor(Math.random() * this.openPoll.options) },
      ];
    }
    return this.ctas.next(args.eventIntervalMs);
  }
}

async function open(): Promise<SocketViewer> {
  const response = await fetch(`${args.url}/api/shows/${args.showId}/viewers`, { method: 'POST' });
  if (response.status !== 201)
    throw new Error(`viewer token: ${response.status} ${await response.text()}`);
  const { token } = (await response.json()) as { token: string };
  const socket = io(`${args.url}/viewer`, { auth: { token }, transports: ['websocket'] });
  const viewer = new SocketViewer(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return viewer;
}

process.on('message', (message: StopMessage) => {
  if (message.type !== 'stop' || stopping) return;
  stopping = true;
  for (const viewer of viewers) viewer.socket.close();
  send({ type: 'stopped' });
  process.exit(0);
});
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the driver, not the terminal, stops the viewers (and reports).
process.on('SIGINT', () => undefined);

const viewers: SocketViewer[] = [];
try {
  for (let i = 0; i < args.count; i += 50)
    viewers.push(
      ...(await Promise.all(Array.from({ length: Math.min(50, args.count - i) }, open))),
    );
} catch (error) {
  send({ type: 'failed', error: (error as Error).message });
  process.exit(1);
}
send({ type: 'ready', viewers: viewers.length });

setInterval(() => {
  if (stopping) return;
  send({
    type: 'tick',
    atMs: epochMs(),
    viewers: viewers.length,
    connected: viewers.filter((v) => v.socket.connected).length,
    ...tick,
  });
  tick = fresh();
}, 1_000);

// Each viewer on its own schedule, spread over one interval so the server sees a steady rate.
for (const [i, viewer] of viewers.entries()) {
  setTimeout(
    () => {
      const loop = async () => {
        while (!stopping) {
          const started = performance.now();
          await viewer.act();
          await new Promise((resolve) =>
            setTimeout(resolve, Math.max(0, args.eventIntervalMs - (performance.now() - started))),
          );
        }
      };
      void loop();
    },
    (i / viewers.length) * args.eventIntervalMs,
  );
}
