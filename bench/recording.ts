/**
 * bench:recording — what recording a show costs the server (ffmpeg is left out: it writes the
 * fragmented MP4 whether anything records it or not):
 *  1. the server's process CPU (main thread and the libuv threads that write) over phases with
 *     and without a recording of the same test-card show, alternated so drift in the machine's
 *     load hits both; and the sink's own synchronous time per fragment on the encoder's fan-out;
 *  2. the recording alone, as the A/B difference is within the noise of rendering on a small
 *     machine: 10 s of the show's real fragments written again and again as 60 s of recording
 *     with the show ended, process CPU per second of media.
 */
import type { EncodedFragment } from '../lib/media/EncodedMedia.js';
import { newRecordingId } from '../pipeline/recording/recordingFiles.js';
import { RecordingSink } from '../pipeline/recording/RecordingSink.js';
import { RecordingStore } from '../pipeline/recording/RecordingStore.js';
import { createShow, startOnAir } from '../test/helpers/startOnAir.js';

const PHASE_S = Number(process.env.RECORDING_PHASE_SECONDS ?? 15);
const ROUNDS = Number(process.env.RECORDING_ROUNDS ?? 2);
const CAPTURE_MS = 10_000;
const REPLAYS = 6;

// No LL-HLS sink: the comparison is the fan-out with and without the recording alone.
const onair = await startOnAir({ DEMO_SHOW: 'false', HLS: 'false' });
const showId = await createShow(onair, 'recording bench', { testCard: true });
const session = onair.shows.live(showId)!.session;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await sleep(3_000);

/** Percent of one core the whole process used while `work` ran. */
async function cpuPercent(work: () => Promise<unknown>, overMs?: number): Promise<number> {
  const before = process.cpuUsage();
  const startMs = performance.now();
  await work();
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (overMs ?? performance.now() - startMs)) * 100;
}

// 1. With and without, on the live show.
const off: number[] = [];
const on: number[] = [];
let fragments = 0;
let ownMs = 0;
let bytes = 0;
const captured: EncodedFragment[] = [];
for (let round = 0; round < ROUNDS; round++) {
  off.push(await cpuPercent(() => sleep(PHASE_S * 1000)));
  const { id } = await onair.recordings.start(showId);
  const sink = session.sink('recording') as RecordingSink;
  const deliver = sink.fragment.bind(sink);
  sink.fragment = (fragment) => {
    const startMs = performance.now();
    deliver(fragment);
    ownMs += performance.now() - startMs;
    fragments++;
    const first = captured[0];
    if (round === 0 && (first ? fragment.startStreamTimeMs - first.startStreamTimeMs < CAPTURE_MS : fragment.independent)) captured.push(fragment);
  };
  on.push(await cpuPercent(() => sleep(PHASE_S * 1000)));
  bytes += (await onair.recordings.stop(showId)).bytes;
  await onair.recordings.remove(id);
}
await onair.shows.end(showId);
await sleep(1_000);

// 2. The recording alone: the captured fragments, shifted along the show clock, six times over.
const store = new RecordingStore(onair.store.blobs, onair.redis.client, `bench:${newRecordingId()}`);
const replay = new RecordingSink({ id: newRecordingId(), showId, title: 'replay', store, streamEpochMs: Date.now() });
const { generation } = captured[0]!;
const spanMs = captured.reduce((sum, f) => sum + f.durationMs, 0);
// The init segment is a stand-in of its size: its bytes are written once and never decoded here.
replay.init({ generation, data: Buffer.alloc(1_300), codecs: 'avc1.42c01f,mp4a.40.2', width: 640, height: 360 });
const replayCpu = await cpuPercent(async () => {
  for (let pass = 0; pass < REPLAYS; pass++) for (const fragment of captured) replay.fragment({ ...fragment, startStreamTimeMs: fragment.startStreamTimeMs + pass * spanMs });
  await replay.close();
}, REPLAYS * spanMs);
const replayed = replay.summary();
await store.remove(replayed.id);

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(`bench:recording ${onair.config.resolution.height}p${onair.config.fps} test card, ${ROUNDS} rounds of ${PHASE_S} s off / on`);
console.log(`  server CPU without recording: ${off.map((v) => v.toFixed(1)).join(', ')} → ${mean(off).toFixed(1)}% of a core`);
console.log(`  server CPU while recording:   ${on.map((v) => v.toFixed(1)).join(', ')} → ${mean(on).toFixed(1)}% of a core`);
console.log(`  difference: ${(mean(on) - mean(off)).toFixed(1)}% of a core`);
console.log(`  the sink on the fan-out: ${fragments} fragments, ${((ownMs * 1000) / Math.max(1, fragments)).toFixed(1)} µs each = ${((ownMs / (ROUNDS * PHASE_S * 1000)) * 100).toFixed(3)}% of a core`);
console.log(`  written: ${(bytes / (ROUNDS * PHASE_S) / 1024).toFixed(0)} KiB/s`);
console.log(`  replay: ${(replayed.durationMs / 1000).toFixed(1)} s of media in ${replayed.bytes} bytes, ${replayed.state}: ${replayCpu.toFixed(2)}% of a core per second of media`);
await onair.close();
process.exit(0);
