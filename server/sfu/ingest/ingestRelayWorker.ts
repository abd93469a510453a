import type dgram from 'node:dgram';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { answerRequest } from '../../../lib/WorkerRequests.js';
import { SfuError } from '../errors.js';
import { bindLoopback, Ingest } from './Ingest.js';
import type { VideoCodecName } from '../../../lib/media/codecs.js';
import type { RelayedRtp, RelayOpened, RelayOutbound, RelayRequest, ShardAck } from './relayProtocol.js';
import { ShardFlow } from './ShardFlow.js';

/**
 * The ingest relay thread: receives each show's RTP from its encoder, keeps SSRC, sequence
 * numbers and timestamps continuous across encoder restarts (a mediasoup Producer has one
 * fixed SSRC, and viewers' decoders drop frames whose timestamps jump back), and forwards
 * every packet: for mediasoup, to the show's PlainTransport from one socket, so the
 * transport's comedia tuple never changes; for werift, straight to the egress shard threads
 * that have viewers of the show. Media never waits on the main thread's event loop, and a shard
 * that falls behind drops to a keyframe rather than queueing (ShardFlow).
 */
interface Relay {
  ingest: Ingest;
  out: dgram.Socket;
  targetPort: number | undefined;
  shards: ShardLink[];
  dropped: { video: number; audio: number };
}

interface ShardLink {
  port: MessagePort;
  flow: ShardFlow;
}

/** Egress shard threads by index (werift). */
const shardLinks: ShardLink[] = [];

const STATS_INTERVAL_MS = 1_000;
const port = parentPort!;
const relays = new Map<string, Relay>();
const post = (message: RelayOutbound): void => port.postMessage(message);

port.on('message', (message: RelayRequest) => answerRequest(post, message.id, () => handle(message)));

const postStats = (): void =>
  post({
    type: 'stats',
    ingests: [...relays.values()].map((r) => ({ ...r.ingest.stats(), droppedVideoPackets: r.dropped.video, droppedAudioPackets: r.dropped.audio })),
  });
setInterval(postStats, STATS_INTERVAL_MS).unref();

async function handle(request: RelayRequest): Promise<unknown> {
  switch (request.type) {
    case 'open':
      return open(request.showId, request.codec, request.simulcast);
    case 'source': {
      const relay = relays.get(request.showId);
      relay?.ingest.expectSource(request.source);
      return relay !== undefined;
    }
    case 'target':
      return setTarget(request.showId, request.port);
    case 'shard':
      attachShard(request.index, request.port);
      return true;
    case 'shards': {
      const relay = relays.get(request.showId);
      if (!relay) return false;
      const next = request.indices.flatMap((index) => shardLinks[index] ?? []);
      for (const link of relay.shards) if (!next.includes(link)) link.flow.forget(request.showId);
      relay.shards = next;
      return true;
    }
    case 'close':
      return close(request.showId);
  }
}

async function open(showId: string, codec: VideoCodecName, simulcast: boolean): Promise<RelayOpened> {
  if (relays.has(showId)) throw new SfuError('INVALID_STATE', `show ${showId} already has an ingest`);
  const [ingest, out] = await Promise.all([Ingest.open(showId, codec, simulcast), bindLoopback({ sendBufferSize: 1024 * 1024 })]);
  // A send to a transport that has just closed gets ECONNREFUSED on loopback: not worth a crash.
  out.on('error', () => undefined);
  const relay: Relay = { ingest, out, targetPort: undefined, shards: [], dropped: { video: 0, audio: 0 } };
  ingest.on('packet', (kind, packet, keyframe) => {
    if (relay.targetPort !== undefined) out.send(packet, relay.targetPort, '127.0.0.1');
    const nowMs = performance.now();
    for (const shard of relay.shards) {
      // A copy of exactly the packet: posting a pooled Buffer would clone its whole backing store.
      if (shard.flow.admit(showId, kind, keyframe, nowMs)) shard.port.postMessage({ type: 'rtp', showId, kind, packet: new Uint8Array(packet) } satisfies RelayedRtp);
      else relay.dropped[kind]++;
    }
    if (kind === 'audio') post({ type: 'audio', showId, bytes: packet.length });
  });
  // Only mediasoup takes the low layer (a simulcast producer); werift's shards never see it.
  ingest.on('lowvideo', (packet) => {
    if (relay.targetPort !== undefined) out.send(packet, relay.targetPort, '127.0.0.1');
  });
  ingest.on('mediasource', (kind, rtpTimestamp) => {
    post({ type: 'mediasource', showId, kind, rtpTimestamp });
    // A new encoder process is news for the counters too (source switches): no need to wait a second.
    postStats();
  });
  relays.set(showId, relay);
  return { endpoint: ingest.endpoint, ssrcs: ingest.ssrcs };
}

function attachShard(index: number, port: MessagePort): void {
  // A replaced shard lost its viewers with it: no show sends to the old port any more.
  const old = shardLinks[index];
  old?.port.close();
  const link: ShardLink = { port, flow: new ShardFlow() };
  shardLinks[index] = link;
  for (const relay of relays.values()) relay.shards = relay.shards.filter((shard) => shard !== old);
  port.on('message', (ack: ShardAck) => {
    for (const showId of link.flow.ack(ack.taken)) post({ type: 'keyframe', showId });
  });
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
  for (const shard of relay.shards) shard.flow.forget(showId);
  relay.ingest.close();
  relay.out.close();
  return true;
}
