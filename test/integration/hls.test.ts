import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Parser, type ParsedManifest, type ParsedSegment } from 'm3u8-parser';
import type { OnAir } from '../../server/OnAir.js';
import { waitUntil } from '../helpers/batch.js';
import { createShow, startOnAir } from '../helpers/startOnAir.js';

let onair: OnAir;
let showId: string;
let base: string;

before(async () => {
  // HLS carries the top layer only: a simulcast low layer would just add encoder CPU here, and on a busy machine a frame
  // the encoder drops (rightly) puts the next segment's program date time a frame past its durations (a CI run failed so).
  onair = await startOnAir({ SIMULCAST: '0' });
  showId = await createShow(onair, 'hls', { testCard: true });
  base = `${onair.url}/hls/${showId}`;
});

after(() => onair?.close());

async function playlist(query = ''): Promise<{ manifest: ParsedManifest; text: string; response: Response }> {
  const response = await fetch(`${base}/index.m3u8${query}`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const parser = new Parser();
  parser.push(text);
  parser.end();
  return { manifest: parser.manifest, text, response };
}

/** Every segment the playlist lists, the open one last. */
const allSegments = (manifest: ParsedManifest): ParsedSegment[] => [...manifest.segments, ...(manifest.preloadSegment ? [manifest.preloadSegment] : [])];
const pdtMs = (segment: ParsedSegment) => Date.parse(segment.dateTimeString!);
const numberIn = (uri: string) => Number(/(\d+)\.m4s$/.exec(uri)![1]);

async function bytes(name: string): Promise<{ response: Response; data: Buffer }> {
  const response = await fetch(`${base}/${name}`);
  return { response, data: Buffer.from(await response.arrayBuffer()) };
}

test('the encoder’s fMP4 becomes LL-HLS: independent parts in ~1 s segments, program date times, a preload hint', async () => {
  const { manifest, response } = await waitUntil(async () => {
    const result = await playlist();
    return result.manifest.segments.length >= 2 && result;
  }, 10_000, 'two complete segments');
  assert.equal(response.headers.get('content-type'), 'application/vnd.apple.mpegurl');
  assert.equal(response.headers.get('cache-control'), 'public, max-age=1');
  assert.equal(response.headers.get('access-control-allow-origin'), '*');
  assert.equal(manifest.serverControl?.canBlockReload, true);
  const partTargetS = manifest.partTargetDuration!;
  assert.ok(manifest.serverControl!.partHoldBack! >= 2 * partTargetS, 'PART-HOLD-BACK is at least two part targets');
  assert.equal(manifest.independentSegments, true);

  const segments = allSegments(manifest);
  const lane = onair.shows.live(showId)!.lane;
  for (const [i, segment] of segments.entries()) {
    const parts = segment.parts ?? [];
    assert.ok(parts.length > 0, 'the segments of the last three target durations list their parts');
    assert.equal(parts[0]!.independent, true, `segment ${i} starts at an independent part`);
    // Parts are a third of a GOP; only an encoder process's first GOP, a frame long, leaves a one-frame part.
    for (const part of parts) assert.ok(part.duration > 0.03 && part.duration <= partTargetS, `part of ${part.duration} s`);
    const partsS = parts.reduce((sum, part) => sum + part.duration, 0);
    if (segment.duration !== undefined) {
      assert.ok(Math.abs(segment.duration - 1) <= 0.1, `segment ${i} lasts ${segment.duration} s`);
      assert.ok(Math.abs(partsS - segment.duration) < 0.005, 'a segment is its parts');
      assert.ok(Math.round(segment.duration) <= manifest.targetDuration!, 'within the target duration');
      assert.ok(Math.abs(pdtMs(segments[i + 1]!) - pdtMs(segment) - segment.duration * 1000) <= 2, 'program date times follow the durations');
    }
    assert.equal(segment.map?.uri, 'init-1.mp4');
  }
  const newest = pdtMs(segments.at(-1)!) - lane.startedAtEpochMs;
  assert.ok(newest > 0 && newest < lane.streamTimeMs, 'program date time = the lane’s epoch + stream time');

  const lastPart = segments.at(-1)!.parts!.at(-1)!;
  const [hint] = manifest.preloadSegment!.preloadHints!;
  assert.deepEqual(hint, { type: 'PART', uri: `part-${numberIn(lastPart.uri) + 1}.m4s` });

  const init = await bytes('init-1.mp4');
  assert.equal(init.response.headers.get('content-type'), 'video/mp4');
  assert.equal(init.response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(init.data.toString('latin1', 4, 8), 'ftyp');
  const first = manifest.segments[0]!;
  const partBytes = await Promise.all(first.parts!.map(async (part) => (await bytes(part.uri)).data));
  for (const data of partBytes) assert.equal(data.toString('latin1', 4, 8), 'moof');
  assert.deepEqual((await bytes(first.uri!)).data, Buffer.concat(partBytes), 'the segment is its parts, byte for byte');
});

test('a blocking playlist reload and the preload-hinted part return when the part appears', async () => {
  const { manifest } = await playlist();
  const open = manifest.preloadSegment!;
  const msn = manifest.mediaSequence! + manifest.segments.length;
  const nextPart = open.parts!.length;
  const hint = open.preloadHints![0]!.uri;
  const startMs = performance.now();
  const [blocked, part] = await Promise.all([playlist(`?_HLS_msn=${msn}&_HLS_part=${nextPart}`), bytes(hint)]);
  const waitedMs = performance.now() - startMs;
  console.log(`blocking reload: answered ${waitedMs.toFixed(0)} ms after asking for the next part`);
  assert.ok(waitedMs < 1_000, `answered ${waitedMs.toFixed(0)} ms later, once the part was cut`);
  assert.equal(part.response.status, 200);
  assert.equal(part.data.toString('latin1', 4, 8), 'moof');
  assert.equal(blocked.response.headers.get('cache-control'), 'public, max-age=4');
  const listed = allSegments(blocked.manifest).flatMap((segment) => segment.parts ?? []);
  assert.ok(listed.some((p) => p.uri === hint), 'the playlist it answered lists the part it waited for');
  // msn alone waits for the whole segment.
  const whole = await playlist(`?_HLS_msn=${msn}`);
  assert.ok(whole.manifest.segments.some((segment) => segment.uri === `seg-${msn}.m4s`));
});

test('bad input gets a 4xx with a stable code, uncached, never a 5xx', async () => {
  const { manifest } = await playlist();
  const lastMsn = manifest.mediaSequence! + manifest.segments.length;
  const cases: Array<[string, number, string]> = [
    [`index.m3u8?_HLS_msn=abc`, 400, 'HLS_INVALID_QUERY'],
    [`index.m3u8?_HLS_msn=-1`, 400, 'HLS_INVALID_QUERY'],
    [`index.m3u8?_HLS_msn=1&_HLS_msn=2`, 400, 'HLS_INVALID_QUERY'],
    [`index.m3u8?_HLS_part=1`, 400, 'HLS_INVALID_QUERY'],
    [`index.m3u8?_HLS_msn=99999999999999999999`, 400, 'HLS_INVALID_QUERY'],
    [`index.m3u8?_HLS_msn=${lastMsn + 3}`, 400, 'HLS_TOO_FAR_AHEAD'],
    [`index.m3u8?_HLS_msn=${lastMsn}&_HLS_part=40`, 400, 'HLS_TOO_FAR_AHEAD'],
    ['part-01.m4s', 404, 'HLS_NAME_INVALID'],
    ['seg-1.mp4', 404, 'HLS_NAME_INVALID'],
    ['..%2F..%2Fpackage.json', 404, 'HLS_NAME_INVALID'],
    ['index.m3u8%00', 404, 'HLS_NAME_INVALID'],
    [`seg-${lastMsn + 50}.m4s`, 404, 'HLS_MEDIA_NOT_FOUND'],
    ['part-99999999.m4s', 404, 'HLS_MEDIA_NOT_FOUND'],
    ['init-7.mp4', 404, 'HLS_MEDIA_NOT_FOUND'],
  ];
  for (const [path, status, code] of cases) {
    const response = await fetch(`${base}/${path}`);
    const body = (await response.json()) as { error: { code: string } };
    assert.deepEqual([response.status, body.error.code], [status, code], path);
    assert.equal(response.headers.get('cache-control'), 'no-store', `${path}: a CDN must not keep an error`);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
  }
  for (const path of ['/hls/ffffffffffff/index.m3u8', '/hls/NOT..AN..ID/index.m3u8', '/hls/ffffffffffff/part-1.m4s']) {
    const response = await fetch(`${onair.url}${path}`);
    assert.deepEqual([response.status, ((await response.json()) as { error: { code: string } }).error.code], [404, 'SHOW_NOT_FOUND'], path);
  }
  const preflight = await fetch(`${base}/index.m3u8`, { method: 'OPTIONS' });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
});

test('an encoder crash is a discontinuity with a new init segment; the discontinuity sequence counts it once it slides out', async () => {
  const show = onair.shows.live(showId)!;
  const before = await playlist();
  const lastPdtMs = pdtMs(allSegments(before.manifest).at(-1)!);
  show.encoder.kill('SIGKILL');
  const { manifest } = await waitUntil(async () => {
    const result = await playlist();
    return allSegments(result.manifest).some((segment) => segment.map?.uri === 'init-2.mp4') && result;
  }, 10_000, 'the new generation in the playlist');
  const segments = allSegments(manifest);
  const at = segments.findIndex((segment) => segment.map?.uri === 'init-2.mp4');
  assert.ok(at > 0, 'the old generation is still listed before it');
  assert.equal(segments[at]!.discontinuity, true);
  assert.equal(segments[at]!.timeline, segments[at - 1]!.timeline + 1);
  assert.ok(pdtMs(segments[at]!) > lastPdtMs, 'the clock goes on across the restart');
  for (let i = 1; i < segments.length; i++) assert.ok(pdtMs(segments[i]!) > pdtMs(segments[i - 1]!), 'program date times only grow');
  assert.equal((await bytes('init-2.mp4')).response.status, 200);

  const msnAfter = manifest.mediaSequence! + at;
  const slid = await waitUntil(async () => {
    const result = await playlist();
    return result.manifest.mediaSequence! > msnAfter && result;
  }, 15_000, 'the discontinuity to leave the playlist');
  assert.equal(slid.manifest.discontinuitySequence, 1);
  assert.equal(slid.manifest.segments[0]!.map?.uri, 'init-2.mp4');
  assert.ok(!slid.text.includes('#EXT-X-DISCONTINUITY\n'));
  assert.equal(onair.shows.live(showId)!.info().outputs.includes('hls'), true);
});

test('a show without an HLS output answers 404 SINK_NOT_FOUND', async () => {
  const session = onair.shows.live(showId)!.session;
  await session.detach(session.sink('hls')!);
  const response = await fetch(`${base}/index.m3u8`);
  assert.deepEqual([response.status, ((await response.json()) as { error: { code: string } }).error.code], [404, 'SINK_NOT_FOUND']);
});
