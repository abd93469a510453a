import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import type { EncodedFragment, EncodedInit } from '../../lib/media/EncodedMedia.js';
import { newRecordingId, recordingBlobKey, requireRecordingFileName, requireRecordingId } from '../../pipeline/recording/recordingFiles.js';
import type { RecordingSidecar } from '../../pipeline/recording/RecordingSidecar.js';
import { RecordingSink } from '../../pipeline/recording/RecordingSink.js';
import { RecordingStore } from '../../pipeline/recording/RecordingStore.js';
import type { BlobStore } from '../../pipeline/store/BlobStore.js';
import { LocalDiskBlobStore } from '../../pipeline/store/LocalDiskBlobStore.js';
import { loadConfig } from '../../server/config.js';

let redis: Redis;
before(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
after(() => redis.disconnect());

function freshStore(wrap: (blobs: BlobStore) => BlobStore = (blobs) => blobs) {
  const root = mkdtempSync(join(tmpdir(), 'onair-rec-'));
  const blobs = new LocalDiskBlobStore(root);
  return { root, blobs, store: new RecordingStore(wrap(blobs), redis, `t${randomBytes(4).toString('hex')}`) };
}

const init = (generation: number): EncodedInit => ({ generation, data: Buffer.from(`init-${generation}`), codecs: 'avc1.42c01f,mp4a.40.2', width: 640, height: 360 });

/** ffmpeg's pattern at a 500 ms GOP: fragments of 200, 200 and 100 ms, a keyframe every third. */
function* fragments(generation: number, startStreamTimeMs: number, durationMs: number): Generator<EncodedFragment> {
  let at = 0;
  for (let index = 0; at < durationMs; index++) {
    const length = [200, 200, 100][index % 3]!;
    yield { generation, index, data: Buffer.from(`g${generation}f${index};`), startStreamTimeMs: startStreamTimeMs + at, durationMs: length, independent: index % 3 === 0 };
    at += length;
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('segments are cut at keyframes every 2 s, a new generation is a discontinuity, and the playlist turns VOD at stop', async () => {
  const { store, root } = freshStore();
  const id = newRecordingId();
  const sink = new RecordingSink({ id, showId: 'show1', title: 'a show', store, streamEpochMs: Date.UTC(2030, 0, 1) });
  await store.save(sink.summary());
  const folder = join(root, recordingBlobKey(id).slice(0, 2), recordingBlobKey(id));

  sink.init(init(1));
  // Attached mid-GOP: the fragments before the first keyframe are not recordable.
  sink.fragment({ ...fragments(1, 900, 300).next().value!, independent: false, startStreamTimeMs: 800 });
  for (const fragment of fragments(1, 1_000, 5_000)) sink.fragment(fragment);
  await until(() => existsSync(join(folder, 'index.m3u8')), 'the first playlist');
  const during = readFileSync(join(folder, 'index.m3u8'), 'utf8');
  assert.match(during, /#EXT-X-PLAYLIST-TYPE:EVENT/, 'while recording the playlist only grows');
  assert.doesNotMatch(during, /#EXT-X-ENDLIST/);

  // The encoder restarted: 400 ms of the show clock never reached the recording.
  sink.timeline.cue({ id: 'cue1', kind: 'say', text: 'After the restart', streamTimeMs: 6_500, endStreamTimeMs: 7_000 });
  sink.timeline.mark({ type: 'poll-opened', pollId: 'poll1', question: 'Which?', options: ['a', 'b'] }, 2_000);
  sink.timeline.mark({ type: 'poll-tally', pollId: 'poll1', tallies: [1, 0], total: 1 }, 2_100);
  sink.timeline.mark({ type: 'poll-tally', pollId: 'poll1', tallies: [2, 0], total: 2 }, 2_500);
  sink.init(init(2));
  for (const fragment of fragments(2, 6_400, 3_000)) sink.fragment(fragment);
  const closed = new Promise<unknown>((resolve) => sink.once('closed', resolve));
  await sink.close();
  await closed;

  const playlist = readFileSync(join(folder, 'index.m3u8'), 'utf8');
  assert.equal(playlist, [
    '#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-TARGETDURATION:2', '#EXT-X-MEDIA-SEQUENCE:0', '#EXT-X-PLAYLIST-TYPE:VOD', '#EXT-X-INDEPENDENT-SEGMENTS',
    '#EXT-X-MAP:URI="init-1.mp4"', '#EXT-X-PROGRAM-DATE-TIME:2030-01-01T00:00:01.000Z',
    '#EXTINF:2.00000,', 'seg-000001.m4s', '#EXTINF:2.00000,', 'seg-000002.m4s', '#EXTINF:1.00000,', 'seg-000003.m4s',
    '#EXT-X-DISCONTINUITY', '#EXT-X-MAP:URI="init-2.mp4"', '#EXT-X-PROGRAM-DATE-TIME:2030-01-01T00:00:06.400Z',
    '#EXTINF:2.00000,', 'seg-000004.m4s', '#EXTINF:1.00000,', 'seg-000005.m4s',
    '#EXT-X-ENDLIST', '',
  ].join('\n'));
  assert.equal(readFileSync(join(folder, 'seg-000001.m4s'), 'utf8'), [...fragments(1, 1_000, 2_000)].map((f) => f.data.toString()).join(''), 'a segment is its fragments, in order');
  assert.equal(readFileSync(join(folder, 'init-2.mp4'), 'utf8'), 'init-2');
  assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no temp file is left behind');

  const sidecar = JSON.parse(readFileSync(join(folder, 'recording.json'), 'utf8')) as RecordingSidecar;
  assert.equal(sidecar.state, 'complete');
  assert.equal(sidecar.durationMs, 8_000);
  assert.deepEqual([sidecar.startStreamTimeMs, sidecar.stopStreamTimeMs], [1_000, 9_400]);
  assert.equal(sidecar.startedAt, '2030-01-01T00:00:01.000Z');
  const [chapter] = sidecar.chapters;
  assert.deepEqual([chapter!.atMs, chapter!.endMs], [5_100, 5_600], 'times after the restart lose the stream time the recording never had');
  assert.deepEqual(sidecar.timeline.map((e) => [e.type, e.atMs]), [['poll-opened', 1_000], ['poll-tally', 1_100]], 'tallies are kept once a second');
  const summary = await store.get(id);
  assert.deepEqual(summary, { id, showId: 'show1', title: 'a show', startedAt: sink.startedAt, durationMs: 8_000, bytes: sidecar.bytes, state: 'complete' });
  assert.equal(summary.bytes, readdirSync(folder).filter((f) => f !== 'recording.json').reduce((sum, f) => sum + readFileSync(join(folder, f)).length, 0));
  assert.deepEqual((await store.list()).map((r) => r.id), [id]);
  await store.remove(id);
  assert.equal(existsSync(folder), false);
  assert.deepEqual(await store.list(), []);
});

test('a failing disk makes the sink emit failed once; what reached the disk stays playable', async () => {
  let segments = 0;
  const { store, root } = freshStore((blobs) =>
    Object.assign(Object.create(blobs) as BlobStore, {
      // The third segment finds the disk full; the small files after it still fit.
      commit: (key: string, name: string, temp: string) =>
        name.endsWith('.m4s') && ++segments > 2 ? Promise.reject(new Error('ENOSPC: no space left on device')) : blobs.commit(key, name, temp),
    }),
  );
  const id = newRecordingId();
  const sink = new RecordingSink({ id, showId: 'show1', title: 'a show', store, streamEpochMs: 0 });
  const failures: string[] = [];
  sink.on('failed', (error) => failures.push((error as Error & { code: string }).code));
  sink.init(init(1));
  for (const fragment of fragments(1, 0, 10_000)) sink.fragment(fragment);
  await until(() => failures.length > 0, 'the failure');
  await sink.close();
  assert.deepEqual(failures, ['RECORDING_WRITE_FAILED']);
  assert.equal(sink.state, 'failed');
  const folder = join(root, recordingBlobKey(id).slice(0, 2), recordingBlobKey(id));
  const playlist = readFileSync(join(folder, 'index.m3u8'), 'utf8');
  assert.deepEqual(playlist.match(/seg-\d+\.m4s/g), ['seg-000001.m4s', 'seg-000002.m4s'], 'the playlist lists the segments on disk');
  assert.match(playlist, /#EXT-X-ENDLIST/);
  assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'the half-written segment is discarded');
  assert.equal((await store.get(id))?.state, 'failed');
});

test('a disk that stalls fails the recording instead of buffering it, and close() does not wait for it for ever', async () => {
  const { store } = freshStore((blobs) => Object.assign(Object.create(blobs) as BlobStore, { writeBytes: () => new Promise<number>(() => undefined) }));
  const sink = new RecordingSink({ id: newRecordingId(), showId: 'show1', title: 'a show', store, streamEpochMs: 0, maxPendingBytes: 64, closeTimeoutMs: 200 });
  const failures: string[] = [];
  sink.on('failed', (error) => failures.push((error as Error & { code: string }).code));
  sink.init(init(1));
  for (const fragment of fragments(1, 0, 3_000)) {
    sink.fragment(fragment);
    await new Promise(setImmediate);
  }
  assert.deepEqual(failures, ['RECORDING_BACKLOG'], 'the init segment never lands, and the fragments behind it pass the cap');
  const startMs = performance.now();
  await sink.close();
  assert.ok(performance.now() - startMs < 1_000);
  assert.equal(sink.state, 'failed');
});

test('recording ids and file names are checked before they reach a path', () => {
  assert.match(newRecordingId(), /^[a-f0-9]{16}$/);
  for (const bad of ['../../etc', 'ABCDEF0123456789', '0123456789abcdef0', '', undefined]) assert.throws(() => requireRecordingId(bad), { code: 'RECORDING_ID_INVALID' });
  for (const good of ['index.m3u8', 'recording.json', 'init-3.mp4', 'seg-000012.m4s']) assert.equal(requireRecordingFileName(good), good);
  for (const bad of ['../index.m3u8', 'index.m3u8/..', 'seg-1.m4s', 'x.mp4', '.', 'init-1.mp4\u0000']) assert.throws(() => requireRecordingFileName(bad), { code: 'RECORDING_FILE_INVALID' });
});

test('RECORD_SHOWS and RECORDING_RETENTION_DAYS: off and 30 days by default, 0 keeps recordings for ever', () => {
  assert.deepEqual(loadConfig({}).recording, { allShows: false, retentionMs: 30 * 86_400_000 });
  assert.deepEqual(loadConfig({ RECORD_SHOWS: 'true', RECORDING_RETENTION_DAYS: '0' }).recording, { allShows: true, retentionMs: 0 });
  assert.throws(() => loadConfig({ RECORDING_RETENTION_DAYS: '-1' }), /RECORDING_RETENTION_DAYS/);
});
