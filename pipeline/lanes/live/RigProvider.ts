import { settleWithin } from '../../../lib/settleWithin.js';
import { RigAtlas } from '../../../renderer/rig/index.js';
import type { Persona } from '../../persona/index.js';
import type { FrameSize } from '../../store/assetKeys.js';
import type { AssetStore } from '../../store/AssetStore.js';
import { loadPrewarmedRig } from '../../store/rigAssets.js';

export interface RigProviderStats {
  prewarmed: number;
  /** The slow path: built on demand because no prewarmed rig was stored. */
  builtOnDemand: number;
  buildMsTotal: number;
}

const LOOKUP_BUDGET_MS = 500;

/**
 * Rigs for the live lane: prewarmed ones from the asset store when the batch lane built
 * them, otherwise built here (the slow path, counted) with a prewarm requested for next time.
 */
export class RigProvider {
  readonly stats: RigProviderStats = { prewarmed: 0, builtOnDemand: 0, buildMsTotal: 0 };

  constructor(
    private readonly store: AssetStore | undefined,
    private readonly requestPrewarm: (persona: Persona, size: FrameSize) => void = () => undefined,
    private readonly logosDir?: string,
  ) {}

  async rig(persona: Persona, size: FrameSize): Promise<RigAtlas> {
    const prewarmed = this.store && (await settleWithin(loadPrewarmedRig(this.store, persona, size), LOOKUP_BUDGET_MS))?.value;
    if (prewarmed) {
      this.stats.prewarmed++;
      return prewarmed;
    }
    const atlas = await RigAtlas.create(persona, { ...size, ...(this.logosDir && { logosDir: this.logosDir }) });
    this.stats.builtOnDemand++;
    this.stats.buildMsTotal += atlas.buildMs;
    this.requestPrewarm(persona, size);
    return atlas;
  }
}
