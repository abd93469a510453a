import type dgram from 'node:dgram';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { answerRequest } from '../../../lib/WorkerRequests.js';
import { SfuError } from '../errors.js';
import { bindLoopback, Ingest } from './Ingest.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { RelayedRtp, RelayOpened, RelayOutbound, RelayRequest } from './relayProtocol.js';

/**
 * The ingest relay thread: receives each show's RTP from its encoder, keeps SSRC, sequence
 * numbers and timestamps continuous across encoder restarts (a mediasoup Producer has one
 * fixed SSRC, and viewers' decoders drop frames whose timestamps jump back), and forwards
 * every packet: for mediasoup, to the show's PlainTransport from one socket, so the
 * transport's comedia tuple never changes; for werift, straight to the egress shard threads
 * that have viewers of the show. Media never waits on the main thread's event loop.
 */
interface Relay {
  ingest: Ingest;
  out: dgram.Socket;
  targetPort: number | undefined;
  shards: MessagePort[];
}

/** Egress shard threads by index (werift). */
const shardPorts: MessagePort[] = [];

const STATS_INTERVAL_MS = 1_000;
const port = parentPort!;
const relays = new Map<string, Relay>();
const post = (message: RelayOutbound): void => port.postMessage(message);

port.on('message', (message: RelayRequest) => answerRequest(post, message.id, () => handle(message)));

const postStats = (): void => post({ type: 'stats', ingests: [...relays.values()].map((r) => r.ingest.stats()) });
setInterval(postStats, STATS_INTERVAL_MS).unref();

async function handle(request: RelayRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      return open(request.showId, request.codec);
    case 'source': {
      const relay = relays.get(request.showId);
      relay?.ingest.expectSource(request.source);
      return relay !== undefined;
    }
    case 'target':
      return setTarget(request.showId, request.port);
    case 'shard': {
      // A replaced shard lost its viewers with it: no show sends to the old port any more.
      const old = shardPorts[request.index];
      old?.close();
      shardPorts[request.index] = request.port;
      for (const relay of relays.values()) relay.shards = relay.shards.filter((port) => port !== old);
      return true;
    }
    case 'shards': {
      const relay = relays.get(request.showId);
      if (relay) relay.shards = request.indices.flatMap((index) => shardPorts[index] ?? []);
      return relay !== undefined;
    }
    case 'close':
      return close(request.showId);
  }
}

async function open(showId: string, codec: VideoCodecName): Promise<RelayOpened> {
  if (relays.has(showId)) throw new SfuError('INVALID_STATE', `show ${showId} already has an ingest`);
  const [ingest, out] = await Promise.all([Ingest.open(showId, codec), bindLoopback({ sendBufferSize: 1024 * 1024 })]);
  // A send to a transport that has just closed gets ECONNREFUSED on loopback: not worth a crash.
  out.on('error', () => undefined);
  const relay: Relay = { ingest, out, targetPort: undefined, shards: [] };
  ingest.on('packet', (kind, packet) => {
    if (relay.targetPort !== undefined) out.send(packet, relay.targetPort, '127.0.0.1');
    // A copy of exactly the packet: posting a pooled Buffer would clone its whole backing store.
    for (const shard of relay.shards) shard.postMessage({ type: 'rtp', showId, kind, packet: new Uint8Array(packet) } satisfies RelayedRtp);
    if (kind === 'audio') post({ type: 'audio', showId, bytes: packet.length });
  });
  ingest.on('mediasource', (kind, rtpTimestamp) => {
    post({ type: 'mediasource', showId, kind, rtpTimestamp });
    // A new encoder process is news for the counters too (source switches): no need to wait a second.
    postStats();
  });
  relays.set(showId, relay);
  return { endpoint: ingest.endpoint, ssrcs: ingest.ssrcs };
}

function setTarget(showId: string, targetPort: number): boolean {
  const relay = relays.get(showId);
  if (relay) relay.targetPort = targetPort;
  return relay !== undefined;
}

function close(showId: string): boolean {
  const relay = relays.get(showId);
  if (!relay) return false;
  relays.delete(showId);
  relay.ingest.close();
  relay.out.close();
  return true;
}
