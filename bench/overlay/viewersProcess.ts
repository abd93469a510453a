/**
 * Child process: N socket.io viewers of one show. Each joins, then sends one event a second
 * (staggered): an impression for a new overlay, a dismissal or a click of the one on screen
 * (each makes a new decision), else a heartbeat. Times event → ack and, when the decision
 * showed something, event → overlay message. argv[2]: {url, showId, viewers, seconds}.
 */
import { io, type Socket } from 'socket.io-client';
import { PageCtaEvents } from '../pageEvents.js';

interface Args {
  url: string;
  showId: string;
  viewers: number;
  seconds: number;
}

const args = JSON.parse(process.argv[2]!) as Args;
const acks: number[] = [];
const overlays: number[] = [];
let errors = 0;
let decisions = 0;

async function token(): Promise<string> {
  const response = await fetch(`${args.url}/api/shows/${args.showId}/viewers`, { method: 'POST' });
  return ((await response.json()) as { token: string }).token;
}

function connect(auth: string): Promise<Socket> {
  const socket = io(`${args.url}/viewer`, { auth: { token: auth }, transports: ['websocket'], reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

class Viewer {
  private readonly events = new PageCtaEvents();
  private sentAt = 0;

  constructor(private readonly socket: Socket) {
    socket.on('overlay', (o: { decisionId?: string }) => {
      if (!o.decisionId) return;
      if (this.sentAt) overlays.push(performance.now() - this.sentAt);
      this.events.shown(o.decisionId);
    });
  }

  async join(): Promise<void> {
    await this.socket.timeout(10_000).emitWithAck('join', { consent: Math.random() < 0.6, language: Math.random() < 0.3 ? 'es-MX' : 'en-US', region: 'US' });
  }

  async act(): Promise<void> {
    const [event, payload] = this.events.next(1_000);
    this.sentAt = performance.now();
    const started = this.sentAt;
    const reply = (await this.socket.timeout(5_000).emitWithAck(event, payload).catch(() => null)) as { ok: boolean; result?: { decision?: object } } | null;
    if (!reply?.ok) errors++;
    else {
      acks.push(performance.now() - started);
      if (reply.result?.decision) decisions++;
    }
    this.sentAt = 0;
  }
}

const viewers: Viewer[] = [];
const sockets: Socket[] = [];
for (let i = 0; i < args.viewers; i += 50) {
  const batch = await Promise.all(Array.from({ length: Math.min(50, args.viewers - i) }, async () => connect(await token())));
  sockets.push(...batch);
}
for (let i = 0; i < sockets.length; i += 100) await Promise.all(sockets.slice(i, i + 100).map((s) => { const v = new Viewer(s); viewers.push(v); return v.join(); }));
process.send!({ type: 'connected', viewers: viewers.length });

const endAt = performance.now() + args.seconds * 1000;
await Promise.all(
  viewers.map(async (viewer, i) => {
    await new Promise((r) => setTimeout(r, (i / viewers.length) * 1000));
    while (performance.now() < endAt) {
      const tickStart = performance.now();
      await viewer.act();
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - tickStart))));
    }
  }),
);
for (const socket of sockets) socket.close();
process.send!({ type: 'done', acks, overlays, errors, decisions });
