import { Redis } from 'ioredis';
import { join } from 'node:path';
import { ROOT_DIR } from '../../lib/paths.js';
import { loadPersonas, type PersonaCatalog } from '../persona/index.js';
import { AssetStore } from '../store/AssetStore.js';
import { LocalDiskBlobStore } from '../store/LocalDiskBlobStore.js';
import { EspeakEngine } from '../tts/espeak/EspeakEngine.js';
import type { TtsEngine } from '../tts/TtsEngine.js';
import { PayloadReader } from './payloads.js';

/** What a batch processor needs, built once per process (worker or sandboxed child). */
export interface JobContext {
  store: AssetStore;
  personas: PersonaCatalog;
  payloads: PayloadReader;
  tts: TtsEngine;
  fps: number;
  close(): Promise<void>;
}

export interface StoreSettings {
  /** Folder of the local asset store. */
  assetDir: string;
  /** Redis key prefix of the asset index. */
  assetPrefix: string;
  maxBytes: number;
}

export const DEFAULT_ASSET_DIR = join(ROOT_DIR, 'var', 'assets');

/** Store settings from the environment (the server and every worker read the same ones). */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const maxMb = Number(env.ASSET_STORE_MAX_MB ?? 2048);
  if (!Number.isInteger(maxMb) || maxMb < 1) throw new Error(`ASSET_STORE_MAX_MB: expected a positive integer, got "${env.ASSET_STORE_MAX_MB}"`);
  return { assetDir: env.ASSET_DIR ?? DEFAULT_ASSET_DIR, assetPrefix: env.ASSET_PREFIX ?? 'onair:assets', maxBytes: maxMb * 1024 * 1024 };
}

export function openAssetStore(redis: Redis, settings: StoreSettings): AssetStore {
  return new AssetStore(new LocalDiskBlobStore(settings.assetDir), redis, { prefix: settings.assetPrefix, maxBytes: settings.maxBytes });
}

/**
 * `tts`: an engine the process already runs. libespeak-ng is a process-wide singleton, so a
 * worker embedded in the server must share the server's engine rather than start another.
 */
export async function createJobContext(redis: Redis, settings: StoreSettings, fps = 30, tts?: TtsEngine): Promise<JobContext> {
  const store = openAssetStore(redis, settings);
  await store.blobs.sweepTemp();
  const personas = loadPersonas();
  const engine = tts ?? (await EspeakEngine.start());
  return {
    store,
    personas,
    payloads: new PayloadReader(personas),
    tts: engine,
    fps,
    close: () => (tts ? Promise.resolve() : engine.close()),
  };
}
