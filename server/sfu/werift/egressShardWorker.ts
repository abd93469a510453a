import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { answerRequest } from '../../../lib/WorkerRequests.js';
import { MediaStreamTrack, RtpPacket } from 'werift';
import type { ViewerState } from '../Sfu.js';
import type { MediaKind, VideoCodecName } from '../../../lib/media/codecs.js';
import type { IceOptions } from './iceOptions.js';
import type { RelayedRtp, ShardAck } from '../ingest/relayProtocol.js';
import type { ShardOutbound, ShardRequest, ShardWorkerStats } from './shardProtocol.js';
import { ShowMediaClock, stampSender } from './senderClock.js';
import { ViewerPeer } from './ViewerPeer.js';

/** An egress shard: a worker thread that owns a slice of the viewers and their SRTP work. */
interface ShowTracks {
  video: MediaStreamTrack;
  audio: MediaStreamTrack;
  viewers: Set<ViewerPeer>;
  clock: ShowMediaClock;
}

const port = parentPort!;
const { ice, ingestPort } = workerData as { ice: IceOptions; ingestPort: MessagePort };
const shows = new Map<string, ShowTracks>();
const peers = new Map<string, { peer: ViewerPeer; showId: string }>();
let packetsOut = 0;
let taken = 0;
let ackPending = false;

const post = (message: ShardOutbound): void => port.postMessage(message);

port.on('message', (message: ShardRequest) => answerRequest(post, message.id, () => handle(message)));
// RTP comes straight from the ingest relay thread, which bounds what it posts by what this
// thread acknowledges: once per turn of the event loop, after the batch of packets it ran.
ingestPort.on('message', (message: RelayedRtp) => {
  relay(message.showId, message.kind, message.packet);
  taken++;
  if (ackPending) return;
  ackPending = true;
  setImmediate(() => {
    ackPending = false;
    ingestPort.postMessage({ type: 'ack', taken } satisfies ShardAck);
  });
});

function relay(showId: string, kind: MediaKind, bytes: Uint8Array): void {
  const show = shows.get(showId);
  if (!show || show.viewers.size === 0) return;
  const packet = RtpPacket.deSerialize(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  show[kind].writeRtp(packet);
  const ntp = show.clock.ntpFor(kind, packet.header.timestamp);
  for (const viewer of show.viewers) {
    const sender = viewer.sender(kind);
    if (sender) stampSender(sender, ntp);
  }
  packetsOut += show.viewers.size;
}

async function handle(request: ShardRequest): Promise<unknown> {
  switch (request.type) {
    case 'addViewer':
      return addViewer(request.showId, request.sessionId, request.offerSdp, request.videoCodec);
    case 'removeViewer':
      return removeViewer(request.sessionId);
    case 'closeShow':
      return closeShow(request.showId);
    case 'stats':
      return { viewers: peers.size, packetsOut } satisfies ShardWorkerStats;
  }
}

async function addViewer(showId: string, sessionId: string, offerSdp: string, videoCodec: VideoCodecName) {
  const show = tracksFor(showId);
  const peer = new ViewerPeer({
    sessionId,
    videoCodec,
    videoTrack: show.video,
    audioTrack: show.audio,
    streamId: `onair-${showId}`,
    ice,
    onState: (state) => onViewerState(showId, sessionId, state),
    onPictureLoss: () => post({ type: 'pli', showId }),
  });
  peers.set(sessionId, { peer, showId });
  show.viewers.add(peer);
  try {
    return await peer.answer(offerSdp);
  } catch (error) {
    peer.close();
    throw error;
  }
}

function onViewerState(showId: string, sessionId: string, state: ViewerState): void {
  if (state === 'closed') {
    const entry = peers.get(sessionId);
    if (entry) shows.get(showId)?.viewers.delete(entry.peer);
    peers.delete(sessionId);
  }
  post({ type: 'viewerState', sessionId, state });
}

function removeViewer(sessionId: string): boolean {
  const entry = peers.get(sessionId);
  entry?.peer.close();
  return entry !== undefined;
}

function closeShow(showId: string): number {
  const show = shows.get(showId);
  if (!show) return 0;
  const count = show.viewers.size;
  for (const peer of [...show.viewers]) peer.close();
  show.video.stop();
  show.audio.stop();
  shows.delete(showId);
  return count;
}

function tracksFor(showId: string): ShowTracks {
  let show = shows.get(showId);
  if (!show) {
    show = {
      video: new MediaStreamTrack({ kind: 'video' }),
      audio: new MediaStreamTrack({ kind: 'audio' }),
      viewers: new Set(),
      clock: new ShowMediaClock(),
    };
    shows.set(showId, show);
  }
  return show;
}
