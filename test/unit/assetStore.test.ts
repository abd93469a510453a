import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Redis } from 'ioredis';
import { AssetStore } from '../../pipeline/store/AssetStore.js';
import { LocalDiskBlobStore } from '../../pipeline/store/LocalDiskBlobStore.js';

let redis: Redis;
before(() => {
  redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
after(() => redis.disconnect());

function freshStore(maxBytes = 1_000_000): { store: AssetStore; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'onair-store-'));
  return { store: new AssetStore(new LocalDiskBlobStore(root), redis, { prefix: `t${randomBytes(4).toString('hex')}`, maxBytes }), root };
}

const key = (n: number) => n.toString(16).padStart(64, 'a');
const record = (n: number) => ({ key: key(n), kind: 'voice' as const, persona: 'ava', label: `phrase ${n}`, meta: {} });

test('a saved asset reads back, and saving the same key twice leaves one asset', async () => {
  const { store, root } = freshStore();
  const first = await store.save(record(1), [{ name: 'utterance.oau', bytes: Buffer.from('hello') }]);
  const second = await store.save(record(1), [{ name: 'utterance.oau', bytes: Buffer.from('hello') }]);
  assert.equal(second.createdAt, first.createdAt, 'the second save is the same asset');
  assert.equal(await store.totalBytes(), 5, 'its size counts once');
  assert.deepEqual(await store.read(key(1), 'utterance.oau'), Buffer.from('hello'));
  assert.equal((await store.list()).length, 1);
  assert.deepEqual(readdirSync(join(root, 'tmp')), [], 'no temp file is left behind');
});

test('files are committed from temp paths atomically; a file never written is not an asset', async () => {
  const { store } = freshStore();
  const temp = store.blobs.tempPath('.mp4');
  writeFileSync(temp, Buffer.alloc(100, 1));
  await store.save({ ...record(2), kind: 'clip' }, [{ name: 'preview.mp4', tempPath: temp }]);
  assert.equal((await store.get(key(2)))?.files['preview.mp4'], 100);
  await assert.rejects(store.read(key(2), 'other.bin'), { code: 'ASSET_NOT_FOUND' });
  await assert.rejects(store.read(key(3), 'preview.mp4'), { code: 'ASSET_NOT_FOUND' });
});

test('past the size cap the least recently used assets are evicted', async () => {
  const { store } = freshStore(250);
  for (const n of [10, 11, 12]) await store.save(record(n), [{ name: 'utterance.oau', bytes: Buffer.alloc(100) }]);
  assert.equal(await store.get(key(10)), undefined, 'the oldest went');
  assert.ok(await store.get(key(12)));
  await store.read(key(11), 'utterance.oau'); // 11 is now the most recently used
  await store.save(record(13), [{ name: 'utterance.oau', bytes: Buffer.alloc(100) }]);
  assert.ok(await store.get(key(11)), 'a recently read asset stays');
  assert.equal(await store.get(key(12)), undefined);
  assert.ok((await store.totalBytes()) <= 250);
});

test('asset keys and file names that could escape the store are refused', async () => {
  const { store } = freshStore();
  for (const bad of ['../../etc/passwd', 'a'.repeat(63), 'A'.repeat(64), '']) {
    await assert.rejects(store.get(bad), { code: 'ASSET_NAME_INVALID' }, bad);
  }
  for (const name of ['../x.mp4', 'a/b.mp4', '.hidden', 'x'.repeat(60) + '.mp4']) {
    await assert.rejects(store.save(record(20), [{ name, bytes: Buffer.from('x') }]), { code: 'ASSET_NAME_INVALID' }, name);
  }
  assert.throws(() => store.blobs.tempPath('/../../x'), { code: 'ASSET_NAME_INVALID' });
});

test('temp files of dead processes are swept, those of live ones are kept', async () => {
  const root = mkdtempSync(join(tmpdir(), 'onair-store-'));
  const blobs = new LocalDiskBlobStore(root);
  writeFileSync(join(root, 'tmp', '999999999-deadbeef.mp4'), 'partial');
  const mine = blobs.tempPath('.mp4');
  writeFileSync(mine, 'in progress');
  assert.equal(await blobs.sweepTemp(), 1);
  assert.deepEqual(readdirSync(join(root, 'tmp')), [mine.split('/').pop()]);
});
