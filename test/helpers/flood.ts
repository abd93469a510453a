/**
 * Hostile load from its own process, so it costs the server and not the measuring viewer:
 * `node --import tsx test/helpers/flood.ts <url> <showId> <offers> <eventsPerSecond> <seconds>`.
 * Sends `offers` concurrent WHEP offers of 1,000 m-lines each, and from 100 viewer sockets
 * `eventsPerSecond` socket events a second in all (heartbeats, pauses, resumes): 10 a second
 * each at 1,000, which is what a viewer may send, so the server handles them all. It prints
 * `ready` once its sockets have joined, starts on a line on stdin, and ends with a JSON
 * summary: the statuses the offers got and the events acknowledged.
 */
import { createInterface } from 'node:readline';
import { io as connect, type Socket } from 'socket.io-client';

const [url, showId, offers, eventsPerSecond, seconds] = process.argv.slice(2) as [string, string, string, string, string];
const hostile = `v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n${'m=video 9 UDP/TLS/RTP/SAVPF 96\r\n'.repeat(1_000)}`;

async function socketFor(): Promise<Socket> {
  const { token } = (await (await fetch(`${url}/api/shows/${showId}/viewers`, { method: 'POST' })).json()) as { token: string };
  const socket = connect(`${url}/viewer`, { auth: { token }, transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
  await socket.timeout(5_000).emitWithAck('join', {});
  return socket;
}

const sockets: Socket[] = [];
for (let i = 0; i < 100; i++) sockets.push(await socketFor());
console.log('ready');
const stdin = createInterface({ input: process.stdin });
await new Promise((resolve) => stdin.once('line', resolve));
stdin.close();
const statuses: Record<string, number> = {};
const offered = Promise.all(
  Array.from({ length: Number(offers) }, async () => {
    const response = await fetch(`${url}/whep/${showId}`, { method: 'POST', headers: { 'content-type': 'application/sdp' }, body: hostile });
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
  }),
);
let acked = 0;
const events = ['heartbeat', 'pause', 'resume'] as const;
const startedAt = performance.now();
const total = Number(eventsPerSecond) * Number(seconds);
let sent = 0;
while (sent < total) {
  // Every 10 ms, whatever the rate owes by now (a late timer catches up), round-robin over the sockets.
  const due = Math.min(total, Math.floor(((performance.now() - startedAt) * Number(eventsPerSecond)) / 1000));
  for (; sent < due; sent++) {
    const event = events[sent % events.length]!;
    sockets[sent % sockets.length]!.emit(event, event === 'heartbeat' ? { watchMs: 10 } : {}, (reply: { ok: boolean }) => reply.ok && acked++);
  }
  await new Promise((resolve) => setTimeout(resolve, 10));
}
await offered;
await new Promise((resolve) => setTimeout(resolve, 500));
for (const socket of sockets) socket.close();
console.log(JSON.stringify({ statuses, sent, acked }));
process.exit(0);
