/**
 * Child process: the synthetic RTP source. Sends each packet to every destination at once,
 * so both SFUs get byte-identical RTP. Destinations come as JSON in argv[2]:
 * [{ "host", "bind", "video": port, "audio": port }, ...]: OnAir on 127.0.0.1, Janus on its
 * namespace's veth address (sent from the host end of the veth).
 * Stops by itself after FANOUT_SOURCE_MAX_SECONDS or when the parent goes away.
 */
import dgram from 'node:dgram';
import { STREAM } from './config.js';
import { nowMicros } from './payload.js';
import { SyntheticStream } from './rtpSource.js';
import { exitWithParent, sendToParent } from './ipc.js';
import { assertBenchTarget } from './netns.js';
import type { SourceDestination } from './protocol.js';

const destinations = JSON.parse(process.argv[2] ?? '[]') as SourceDestination[];
for (const d of destinations) assertBenchTarget(d.host);
const maxSeconds = Number(process.env.FANOUT_SOURCE_MAX_SECONDS ?? 3600);
/** One socket per local address (and port, where the SFU checks it), so each SFU's copy leaves from an address on its path. */
const sockets = new Map<string, dgram.Socket>();
const local = (d: SourceDestination) => `${d.bind}:${d.bindPort ?? 0}`;
for (const d of destinations) {
  if (!sockets.has(local(d)))
    sockets.set(local(d), dgram.createSocket({ type: 'udp4', sendBufferSize: 4 * 1024 * 1024 }));
}
const routes = destinations.map((d) => ({ ...d, socket: sockets.get(local(d))! }));
const stream = new SyntheticStream();
const frameMs = 1000 / STREAM.fps;
let videoPackets = 0;
let audioPackets = 0;
let sendErrors = 0;

function send(packet: Buffer, route: (typeof routes)[number], port: number): void {
  route.socket.send(packet, port, route.host, (error) => {
    if (error) sendErrors++;
  });
}

const closeAll = () => {
  for (const socket of sockets.values()) socket.close();
};
exitWithParent(closeAll);
await Promise.all(
  [...sockets].map(
    ([key, socket]) => {
      const at = key.lastIndexOf(':');
      return new Promise<void>((resolve) => socket.bind(Number(key.slice(at + 1)), key.slice(0, at), resolve));
    },
  ),
);
run();

function run(): void {
  const start = performance.now();
  let nextVideo = start;
  let nextAudio = start;
  const deadline = start + maxSeconds * 1000;

  const tick = (): void => {
    const now = performance.now();
    if (now > deadline) {
      closeAll();
      process.exit(0);
    }
    // Catch up at most a few intervals after a stall rather than bursting a backlog.
    if (now - nextVideo > 5 * frameMs) nextVideo = now;
    if (now - nextAudio > 5 * STREAM.audioIntervalMs) nextAudio = now;
    while (nextVideo <= now) {
      for (const packet of stream.nextFrame(nowMicros())) {
        for (const r of routes) send(packet, r, r.video);
        videoPackets++;
      }
      nextVideo += frameMs;
    }
    while (nextAudio <= now) {
      const packet = stream.nextAudio(nowMicros());
      for (const r of routes) send(packet, r, r.audio);
      audioPackets++;
      nextAudio += STREAM.audioIntervalMs;
    }
    setTimeout(tick, Math.max(0, Math.min(nextVideo, nextAudio) - performance.now()));
  };
  tick();
  sendToParent({ type: 'ready' });
}

process.on('message', (message: { type?: string }) => {
  if (message?.type === 'stats') {
    sendToParent({
      type: 'stats',
      videoPackets,
      audioPackets,
      sendErrors,
      cpu: process.cpuUsage(),
    });
  }
});
