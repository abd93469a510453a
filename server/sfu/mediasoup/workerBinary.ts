import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT_DIR } from '../../../lib/paths.js';

const PATCH_DIR = path.join(ROOT_DIR, 'scripts', 'mediasoup', 'patches');

/**
 * Where the mediasoup worker binary is: `MEDIASOUP_WORKER_BIN`, else the one that
 * scripts/mediasoup/build-worker.sh caches under var/, keyed by the installed mediasoup
 * version and a hash of our patches (the same key the script computes).
 */
export function mediasoupWorkerBinary(env: Record<string, string | undefined> = process.env): { path: string; exists: boolean } {
  const configured = env.MEDIASOUP_WORKER_BIN;
  const binary = configured || path.join(ROOT_DIR, 'var', 'mediasoup', `${installedVersion()}-${patchHash()}`, 'mediasoup-worker');
  return { path: binary, exists: existsSync(binary) };
}

function installedVersion(): string {
  const entry = createRequire(import.meta.url).resolve('mediasoup');
  const manifest = path.join(path.dirname(entry), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** sha256 over the patch files concatenated in byte order of their names; first 12 hex digits. */
function patchHash(): string {
  const hash = createHash('sha256');
  const names = existsSync(PATCH_DIR) ? readdirSync(PATCH_DIR).filter((n) => n.endsWith('.patch')) : [];
  for (const name of names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(readFileSync(path.join(PATCH_DIR, name)));
  return hash.digest('hex').slice(0, 12);
}
