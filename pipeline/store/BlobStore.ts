/**
 * Where asset files live. Writes are atomic: a file is written to a temp path, then
 * committed under its key, so readers never see a partial file. Local disk is the default;
 * an S3-compatible store can implement the same contract.
 */
export interface BlobStore {
  /** A fresh temp path for a file that will be committed (ffmpeg and friends write here). */
  tempPath(suffix: string): string;
  /** Flushes the temp file and moves it under key/name; returns its size in bytes. */
  commit(key: string, name: string, tempPath: string): Promise<number>;
  writeBytes(key: string, name: string, bytes: Uint8Array): Promise<number>;
  read(key: string, name: string): Promise<Buffer>;
  /** A local path for streaming, when the store has one. */
  localPath(key: string, name: string): string;
  exists(key: string, name: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  discard(tempPath: string): Promise<void>;
  /** Deletes temp files left by processes that died mid-write; returns how many. */
  sweepTemp(): Promise<number>;
}

const KEY = /^[a-f0-9]{64}$/;
const FILE_NAME = /^[a-z0-9][a-z0-9-]{0,40}\.[a-z0-9]{1,8}$/;

export function isAssetKey(key: unknown): key is string {
  return typeof key === 'string' && KEY.test(key);
}

export function isAssetFileName(name: unknown): name is string {
  return typeof name === 'string' && FILE_NAME.test(name);
}
