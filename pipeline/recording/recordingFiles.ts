import { createHash, randomBytes } from 'node:crypto';
import { CodedError } from '../../lib/errors/CodedError.js';

/** The recording's files, all in one blob-store folder: names are ours, never the caller's. */
export const PLAYLIST_FILE = 'index.m3u8';
export const SIDECAR_FILE = 'recording.json';

const RECORDING_ID = /^[a-f0-9]{16}$/;
const SERVED_FILE = /^(?:index\.m3u8|recording\.json|init-\d{1,6}\.mp4|seg-\d{6}\.m4s)$/;

export function newRecordingId(): string {
  return randomBytes(8).toString('hex');
}

/** Ids arrive in URLs: anything but 16 hex digits is refused before it reaches a key or a path. */
export function requireRecordingId(id: unknown): string {
  if (typeof id !== 'string' || !RECORDING_ID.test(id)) {
    throw new CodedError('RECORDING_ID_INVALID', `${JSON.stringify(String(id).slice(0, 40))} is not a recording id (16 hex digits)`);
  }
  return id;
}

/** The recording's folder in the blob store: a 64-hex key derived from the id, so the id alone finds it. */
export function recordingBlobKey(id: string): string {
  return createHash('sha256').update(`onair-recording/${requireRecordingId(id)}`).digest('hex');
}

/** One init segment per encoder generation: a new generation has new parameter sets. */
export function initFileName(generation: number): string {
  return `init-${generation}.mp4`;
}

export function segmentFileName(sequence: number): string {
  return `seg-${String(sequence).padStart(6, '0')}.m4s`;
}

/** The only names the file route serves; everything else (`..`, other folders) is refused. */
export function requireRecordingFileName(name: unknown): string {
  if (typeof name !== 'string' || !SERVED_FILE.test(name)) {
    throw new CodedError('RECORDING_FILE_INVALID', `${JSON.stringify(String(name).slice(0, 40))} is not a recording file`);
  }
  return name;
}
