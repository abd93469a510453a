/**
 * bench:recording — what recording a show costs the server: its process CPU (main thread and
 * the libuv threads that do the disk writes) over phases with and without a recording of the
 * same test-card show, alternated so drift in the machine's load hits both; and the sink's own
 * synchronous time per fragment on the encoder's fan-out. ffmpeg is left out: it writes the
 * fragmented MP4 whether anything records it or not.
 */
import type { RecordingSink } from '../pipeline/recording/RecordingSink.js';
import { createShow, startOnAir } from '../test/helpers/startOnAir.js';

const PHASE_S = Number(process.env.RECORDING_PHASE_SECONDS ?? 15);
const ROUNDS = Number(process.env.RECORDING_ROUNDS ?? 2);

// No LL-HLS sink: the comparison is the fan-out with and without the recording alone.
const onair = await startOnAir({ DEMO_SHOW: 'false', HLS: 'false' });
const showId = await createShow(onair, 'recording bench', { testCard: true });
const session = onair.shows.live(showId)!.session;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
await sleep(3_000);

/** Percent of one core the whole process used over `PHASE_S`. */
async function phaseCpu(): Promise<number> {
  const before = process.cpuUsage();
  const startMs = performance.now();
  await sleep(PHASE_S * 1000);
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - startMs)) * 100;
}

const off: number[] = [];
const on: number[] = [];
let fragments = 0;
let ownMs = 0;
let bytes = 0;
for (let round = 0; round < ROUNDS; round++) {
  off.push(await phaseCpu());
  const { id } = await onair.recordings.start(showId);
  const sink = session.sink('recording') as RecordingSink;
  const deliver = sink.fragment.bind(sink);
  sink.fragment = (fragment) => {
    const startMs = performance.now();
    deliver(fragment);
    ownMs += performance.now() - startMs;
    fragments++;
  };
  on.push(await phaseCpu());
  bytes += (await onair.recordings.stop(showId)).bytes;
  await onair.recordings.remove(id);
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(`bench:recording ${onair.config.resolution.height}p${onair.config.fps} test card, ${ROUNDS} rounds of ${PHASE_S} s off / on`);
console.log(`  server CPU without recording: ${off.map((v) => v.toFixed(1)).join(', ')} → ${mean(off).toFixed(1)}% of a core`);
console.log(`  server CPU while recording:   ${on.map((v) => v.toFixed(1)).join(', ')} → ${mean(on).toFixed(1)}% of a core`);
console.log(`  recording's share: ${(mean(on) - mean(off)).toFixed(1)}% of a core`);
console.log(`  the sink on the fan-out: ${fragments} fragments, ${((ownMs * 1000) / Math.max(1, fragments)).toFixed(1)} µs each = ${((ownMs / (ROUNDS * PHASE_S * 1000)) * 100).toFixed(3)}% of a core`);
console.log(`  written: ${(bytes / (ROUNDS * PHASE_S) / 1024).toFixed(0)} KiB/s`);
await onair.close();
process.exit(0);
