import { decodeAtlas, encodeAtlas, RigAtlas } from '../../renderer/rig/index.js';
import type { Persona } from '../persona/index.js';
import { rigAssetKey, type FrameSize } from './assetKeys.js';
import type { AssetStore } from './AssetStore.js';

const ATLAS_FILE = 'atlas.rig';

/** A prewarmed rig from the store, or undefined when none was built for this look and size. */
export async function loadPrewarmedRig(store: AssetStore, persona: Persona, size: FrameSize): Promise<RigAtlas | undefined> {
  const key = rigAssetKey(persona, size);
  const record = await store.get(key);
  if (!record) return undefined;
  return decodeAtlas(persona, await store.read(key, ATLAS_FILE));
}

/** Builds the rig and stores it; a rig already stored is left as it is. Returns the key. */
export async function prewarmRig(store: AssetStore, persona: Persona, size: FrameSize, logosDir?: string): Promise<{ key: string; built: boolean }> {
  const key = rigAssetKey(persona, size);
  if (await store.get(key)) return { key, built: false };
  const atlas = await RigAtlas.create(persona, { ...size, ...(logosDir && { logosDir }) });
  await store.save(
    { key, kind: 'rig', persona: persona.id, label: `${persona.id} rig ${size.width}×${size.height}`, meta: { width: size.width, height: size.height, buildMs: Math.round(atlas.buildMs) } },
    [{ name: ATLAS_FILE, bytes: encodeAtlas(atlas) }],
  );
  return { key, built: true };
}
