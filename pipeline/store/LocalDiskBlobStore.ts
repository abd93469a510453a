import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAssetFileName, isAssetKey, type BlobStore } from './BlobStore.js';
import { AssetNameError, AssetNotFoundError } from './errors.js';

/** Asset files on local disk: `<root>/<key[0:2]>/<key>/<name>`, temp files in `<root>/tmp`. */
export class LocalDiskBlobStore implements BlobStore {
  private readonly tmpDir: string;

  constructor(readonly root: string) {
    this.tmpDir = join(root, 'tmp');
    mkdirSync(this.tmpDir, { recursive: true });
  }

  tempPath(suffix: string): string {
    if (!/^\.[a-z0-9]{1,8}$/.test(suffix)) throw new AssetNameError('suffix', suffix);
    return join(this.tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}${suffix}`);
  }

  async commit(key: string, name: string, tempPath: string): Promise<number> {
    const target = this.localPath(key, name);
    const handle = await open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await mkdir(join(target, '..'), { recursive: true });
    await rename(tempPath, target);
    await syncDir(join(target, '..'));
    return (await stat(target)).size;
  }

  async writeBytes(key: string, name: string, bytes: Uint8Array): Promise<number> {
    this.localPath(key, name);
    const temp = this.tempPath('.part');
    try {
      await writeFile(temp, bytes);
      return await this.commit(key, name, temp);
    } catch (error) {
      await this.discard(temp);
      throw error;
    }
  }

  async read(key: string, name: string): Promise<Buffer> {
    try {
      return await readFile(this.localPath(key, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AssetNotFoundError(key, name);
      throw error;
    }
  }

  localPath(key: string, name: string): string {
    if (!isAssetKey(key)) throw new AssetNameError('key', String(key));
    if (!isAssetFileName(name)) throw new AssetNameError('file name', String(name));
    return join(this.root, key.slice(0, 2), key, name);
  }

  async exists(key: string, name: string): Promise<boolean> {
    return stat(this.localPath(key, name)).then(
      () => true,
      () => false,
    );
  }

  async remove(key: string): Promise<void> {
    if (!isAssetKey(key)) throw new AssetNameError('key', String(key));
    await rm(join(this.root, key.slice(0, 2), key), { recursive: true, force: true });
  }

  async discard(tempPath: string): Promise<void> {
    await unlink(tempPath).catch(() => undefined);
  }

  /** Temp names start with the writer's pid: a file whose writer is gone was left by a crash. */
  async sweepTemp(): Promise<number> {
    let swept = 0;
    for (const name of await readdir(this.tmpDir)) {
      const pid = Number(name.split('-')[0]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
        await this.discard(join(this.tmpDir, name));
        swept++;
      }
    }
    return swept;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes the rename itself durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
