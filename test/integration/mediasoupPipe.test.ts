import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import { CodedError } from '../../lib/errors/CodedError.js';
import { Encoder } from '../../pipeline/encode/Encoder.js';
import { DEFAULT_ENCODER_SETTINGS } from '../../pipeline/encode/EncoderSettings.js';
import type { PipeEndpoint, ShowExport } from '../../server/sfu/Sfu.js';
import { startsKeyframe } from '../../server/sfu/ingest/keyframe.js';
import { MediasoupSfu } from '../../server/sfu/mediasoup/MediasoupSfu.js';
import { mediasoupWorkerBinary } from '../../server/sfu/mediasoup/workerBinary.js';
import { WeriftSfu } from '../../server/sfu/werift/WeriftSfu.js';
import { WeriftViewer } from '../helpers/weriftViewer.js';

// Issue 11: a show lives on one node (the origin); another node (the edge) pipes its producers
// in once, with a mediasoup PipeTransport, and serves its own viewers from that one pipe.
const SHOW = 'piped-show';
const IDLE_MS = 2_000;
const binary = mediasoupWorkerBinary();
const settings = { ...DEFAULT_ENCODER_SETTINGS, width: 320, height: 180, fps: 15, keyframeIntervalMs: 1_000, videoBitrateKbps: 300 };

let origin: MediasoupSfu;
let edge: MediasoupSfu;
let encoder: Encoder;
let frames: NodeJS.Timeout;
const viewers: WeriftViewer[] = [];
const connects: PipeEndpoint[] = [];
const exportsMade: ShowExport[] = [];

/** The cluster layer's HTTP call, here a direct call into the origin node. */
const connect = async (local: PipeEndpoint): Promise<ShowExport> => {
  connects.push(local);
  // Through JSON, as it would cross nodes.
  const answer = JSON.parse(JSON.stringify(await origin.exportShow(SHOW, JSON.parse(JSON.stringify(local)) as PipeEndpoint))) as ShowExport;
  exportsMade.push(answer);
  return answer;
};

interface EdgeViewer {
  viewer: WeriftViewer;
  sessionId: string;
  keyframes: number;
  videoSsrc: number | undefined;
  firstPacketMs: number | undefined;
}

async function join(sfu: MediasoupSfu): Promise<EdgeViewer> {
  const joined: EdgeViewer = { viewer: undefined!, sessionId: '', keyframes: 0, videoSsrc: undefined, firstPacketMs: undefined };
  joined.viewer = new WeriftViewer({
    keepPackets: false,
    onPacket: (kind, packet) => {
      joined.firstPacketMs ??= performance.now();
      if (kind !== 'video') return;
      joined.videoSsrc = packet.header.ssrc;
      if (startsKeyframe('H264', packet.serialize())) joined.keyframes++;
    },
  });
  viewers.push(joined.viewer);
  const { sessionId, answerSdp } = await sfu.addViewer(SHOW, await joined.viewer.createOffer());
  joined.sessionId = sessionId;
  await joined.viewer.acceptAnswer(answerSdp);
  return joined;
}

const plays = (v: EdgeViewer, what: string, timeoutMs = 10_000) =>
  v.viewer.waitFor(() => v.viewer.counts.video >= 30 && v.viewer.counts.audio >= 20 && v.keyframes > 0, timeoutMs, what);

async function waitUntil(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

const rejectsWith = (promise: Promise<unknown>, code: string) => assert.rejects(promise, (error: unknown) => error instanceof CodedError && error.code === code);

before(async () => {
  assert.ok(binary.exists, `a mediasoup worker at ${binary.path}`);
  const node = () => MediasoupSfu.create({ workerBin: binary.path, workers: 1, pipeIdleTimeoutMs: IDLE_MS });
  [origin, edge] = await Promise.all([node(), node()]);
  const endpoint = await origin.createIngest({ showId: SHOW, videoCodec: 'H264' });
  encoder = new Encoder(settings, { name: 'libx264', codec: 'H264', hardware: false, reason: '' }, {
    rtp: [endpoint],
    fragments: false,
    announceSources: async ([source]) => origin.expectIngestSource(SHOW, source!),
  });
  encoder.start();
  const rgba = Buffer.alloc(settings.width * settings.height * 4, 0x80);
  const pcm = Buffer.alloc((AUDIO_SAMPLE_RATE / settings.fps) * 2);
  let frame = 0;
  frames = setInterval(() => {
    rgba.fill(frame % 255, 0, settings.width * 4 * 8);
    encoder.writeFrame(rgba, pcm, frame++ * (1000 / settings.fps));
  }, 1000 / settings.fps);
  await waitUntil(() => (origin.stats().ingests[0]?.videoPackets ?? 0) > 10, 10_000, 'the encoder at the origin ingest');
});

after(async () => {
  clearInterval(frames);
  await Promise.all(viewers.map((v) => v.close()));
  await encoder?.close();
  await Promise.all([origin?.close(), edge?.close()]);
});

test('one pipe per show and node: three edge viewers play video, audio and keyframes through a single export', { timeout: 30_000 }, async () => {
  assert.equal(edge.hasShow(SHOW), false);
  const startedMs = performance.now();
  await edge.importShow(SHOW, connect);
  const importedMs = performance.now();
  assert.equal(edge.hasShow(SHOW), true);
  const first = await join(edge);
  await first.viewer.waitFor(() => first.firstPacketMs !== undefined, 10_000, 'the first packet at an edge viewer');
  console.log(
    `pipe setup: importShow resolved in ${(importedMs - startedMs).toFixed(0)} ms; first packet at an edge viewer ${(first.firstPacketMs! - startedMs).toFixed(0)} ms after the importShow call`,
  );
  const group = [first, await join(edge), await join(edge)];
  // A second import of the same show is the same import.
  await Promise.all([edge.importShow(SHOW, connect), edge.importShow(SHOW, connect)]);
  await Promise.all(group.map((v, i) => plays(v, `video, audio and a keyframe at edge viewer ${i}`)));

  assert.equal(connects.length, 1, 'the edge asked the origin once');
  assert.deepEqual(origin.stats().pipes, { imports: 0, exports: 1 }, 'one export on the origin for three viewers');
  assert.deepEqual(edge.stats().pipes, { imports: 1, exports: 0 });
  assert.deepEqual(edge.stats().ingests, [], 'an import is not an ingest');
  assert.equal(edge.viewerCount(SHOW), 3);
  const [originWorker] = await origin.dump();
  const [edgeWorker] = await edge.dump();
  assert.equal(originWorker!.routerIds.length, 1, 'the origin holds its origin router only: the export is a transport on it');
  assert.equal(edgeWorker!.routerIds.length, 2, 'the edge holds the import router and one viewer router');
  assert.ok(exportsMade[0]!.endpoint.srtpParameters, 'the pipe runs SRTP');

  // Past the idle timeout the export is still there: the edge's RTCP keeps it alive.
  await sleep(IDLE_MS + 500);
  assert.equal(origin.stats().pipes.exports, 1, 'a healthy export is not taken for idle');
  assert.equal(edge.hasShow(SHOW), true, 'a healthy import is not taken for lost');
});

test("a PLI from an edge viewer reaches the origin's producer: keyframerequest fires on the origin", { timeout: 20_000 }, async () => {
  const viewer = await join(edge);
  await plays(viewer, 'video at the new viewer');
  let requests = 0;
  let lastMs = performance.now();
  const onRequest = (showId: string) => {
    if (showId !== SHOW) return;
    requests++;
    lastMs = performance.now();
  };
  origin.on('keyframerequest', onRequest);
  try {
    // Wait for a quiet second, so the request counted next is ours.
    await waitUntil(() => performance.now() - lastMs > 1_000, 10_000, 'a second without keyframe requests');
    const before = requests;
    const receiver = viewer.viewer.pc.getTransceivers().find((t) => t.kind === 'video')!.receiver;
    await receiver.sendRtcpPLI(viewer.videoSsrc!);
    await waitUntil(() => requests > before, 2_000, 'the PLI at the origin');
  } finally {
    origin.off('keyframerequest', onRequest);
  }
});

test('bad pipes fail with stable codes and leave nothing behind', async () => {
  await rejectsWith(origin.exportShow('no-such-show', connects[0]!), 'SHOW_NOT_STREAMING');
  await rejectsWith(edge.exportShow(SHOW, connects[0]!), 'SHOW_NOT_STREAMING');
  await rejectsWith(origin.exportShow(SHOW, { ip: '127.0.0.1', port: 9 }), 'SFU_PIPE_FAILED');
  await rejectsWith(origin.exportShow(SHOW, { ...connects[0]!, ip: '0.0.0.0' }), 'SFU_PIPE_FAILED');
  await rejectsWith(origin.importShow(SHOW, connect), 'INVALID_STATE');
  await rejectsWith(
    edge.importShow('other-show', async () => {
      throw new Error('no route to the origin');
    }),
    'SFU_PIPE_FAILED',
  );
  await rejectsWith(
    edge.importShow('other-show', async (local) => ({ ...(await origin.exportShow(SHOW, local)), codec: 'AV1' as never })),
    'SFU_PIPE_FAILED',
  );
  assert.equal(edge.hasShow('other-show'), false);
  assert.equal(edge.stats().pipes.imports, 1);
  assert.equal((await edge.dump())[0]!.routerIds.length, 2, 'failed imports leave no router');
  // The export made for the import refused above has no edge behind it: it closes as idle.
  await waitUntil(() => origin.stats().pipes.exports === 1, IDLE_MS + 2_500, 'the orphaned export closed');

  const werift = await WeriftSfu.create({ shards: 1 });
  try {
    assert.equal(werift.canPipe, false);
    assert.equal(edge.canPipe, true);
    await rejectsWith(werift.importShow(SHOW, connect), 'SFU_CANNOT_PIPE');
    await rejectsWith(werift.exportShow(SHOW, connects[0]!), 'SFU_CANNOT_PIPE');
    assert.equal(werift.hasShow(SHOW), false);
  } finally {
    await werift.close();
  }
});

test("the edge's worker dies: the import asks the origin again, once, and new viewers play", { timeout: 20_000 }, async () => {
  const before = connects.length;
  const failures: string[] = [];
  edge.on('failure', (message) => failures.push(message));
  const lost: string[] = [];
  edge.on('importlost', (showId) => lost.push(showId));
  process.kill(edge.workerPids()[0]!, 'SIGKILL');
  await waitUntil(() => connects.length === before + 1 && edge.originWorkerOf(SHOW) !== undefined, 5_000, 'the re-import');
  assert.equal(edge.viewerCount(SHOW), 0, "the dead worker's viewers were closed");
  const again = await join(edge);
  await plays(again, 'media after the edge worker died');
  assert.deepEqual(lost, []);
  assert.match(failures[0]!, /mediasoup worker 0 .* died/);
  // The old export lost its edge with the worker: the origin closes it once it falls silent.
  await waitUntil(() => origin.stats().pipes.exports === 1, IDLE_MS + 2_500, 'the dead pipe’s export closed');
});

test('closing the show on the edge, then closeExport on the origin, leaves nothing on either', async () => {
  const closed: string[] = [];
  edge.on('viewerstatechange', (sessionId, state) => state === 'closed' && closed.push(sessionId));
  const pipeId = exportsMade.at(-1)!.pipeId;
  await edge.closeIngest(SHOW);
  assert.equal(edge.hasShow(SHOW), false);
  assert.equal(edge.viewerCount(SHOW), 0);
  assert.equal(closed.length, 1, 'the edge viewer was closed');
  assert.deepEqual((await edge.dump())[0]!.routerIds, []);
  assert.deepEqual(edge.stats().pipes, { imports: 0, exports: 0 });
  await origin.closeExport(pipeId);
  await origin.closeExport(pipeId);
  assert.equal(origin.stats().pipes.exports, 0);
  assert.equal((await origin.dump())[0]!.routerIds.length, 1, 'the origin keeps its show');
});

test("the origin's worker dies: its exports close, the edge reports importlost, and a new import plays", { timeout: 20_000 }, async () => {
  await edge.importShow(SHOW, connect);
  const viewer = await join(edge);
  await plays(viewer, 'media before the origin worker dies');
  const lost: string[] = [];
  edge.on('importlost', (showId) => lost.push(showId));
  const pid = origin.workerPids()[0]!;
  process.kill(pid, 'SIGKILL');
  await waitUntil(() => origin.workerPids()[0] !== pid && origin.originWorkerOf(SHOW) !== undefined, 5_000, 'the origin rebuilt');
  assert.equal(origin.stats().pipes.exports, 0, "the dead worker's exports closed");
  await waitUntil(() => lost.length > 0, IDLE_MS + 3_000, 'importlost at the edge');
  assert.equal(edge.hasShow(SHOW), false);
  await edge.importShow(SHOW, connect);
  const again = await join(edge);
  await plays(again, 'media through the new pipe');
  await edge.closeIngest(SHOW);
});

test("the origin's show ends: the edge reports importlost and its viewers close, within the idle timeout", { timeout: 20_000 }, async () => {
  await edge.importShow(SHOW, connect);
  const viewer = await join(edge);
  await plays(viewer, 'media before the origin ends the show');
  const lost: { showId: string; reason: string; ms: number }[] = [];
  edge.on('importlost', (showId, reason) => lost.push({ showId, reason, ms: performance.now() }));
  const closed: string[] = [];
  edge.on('viewerstatechange', (sessionId, state) => state === 'closed' && closed.push(sessionId));
  const endedMs = performance.now();
  await origin.closeIngest(SHOW);
  assert.equal(origin.stats().pipes.exports, 0, "the show's exports closed with it");
  await waitUntil(() => lost.length > 0, IDLE_MS + 3_000, 'importlost at the edge');
  console.log(`import lost ${(lost[0]!.ms - endedMs).toFixed(0)} ms after the origin ended the show: ${lost[0]!.reason}`);
  assert.equal(lost[0]!.showId, SHOW);
  assert.deepEqual(closed, [viewer.sessionId]);
  assert.equal(edge.hasShow(SHOW), false);
  assert.deepEqual((await edge.dump())[0]!.routerIds, []);
  await rejectsWith(edge.importShow(SHOW, connect), 'SHOW_NOT_STREAMING');
  assert.equal(edge.hasShow(SHOW), false);
});
