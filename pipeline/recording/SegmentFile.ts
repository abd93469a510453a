import { open, type FileHandle } from 'node:fs/promises';
import type { BlobStore } from '../store/BlobStore.js';

/**
 * One media segment being recorded: each fragment is appended to a temp file as it arrives,
 * and the whole file is committed under its name when the segment is cut, so the playlist
 * never lists a partial segment and memory never holds more than the fragment in flight.
 */
export class SegmentFile {
  private constructor(
    private readonly blobs: BlobStore,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
  ) {}

  static async open(blobs: BlobStore): Promise<SegmentFile> {
    const tempPath = blobs.tempPath('.m4s');
    return new SegmentFile(blobs, tempPath, await open(tempPath, 'w'));
  }

  /** writeFile on a handle writes all of it from the current position (no short writes). */
  append(data: Buffer): Promise<void> {
    return this.handle.writeFile(data);
  }

  /** Flushes and moves the file under `key/name`; returns its size. A file that cannot be committed is removed. */
  async commit(key: string, name: string): Promise<number> {
    try {
      await this.handle.close();
      return await this.blobs.commit(key, name, this.tempPath);
    } catch (error) {
      await this.blobs.discard(this.tempPath);
      throw error;
    }
  }

  async discard(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    await this.blobs.discard(this.tempPath);
  }
}
