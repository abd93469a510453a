import { RESOLUTIONS } from '../payloads.js';
import { prewarmRig } from '../../store/rigAssets.js';
import type { JobContext } from '../JobContext.js';
import type { ProgressJob } from './ProgressJob.js';

export interface RigPrewarmResult {
  assets: string[];
  built: number;
}

/** Persona → sprite atlas at each requested resolution, for the renderer. */
export async function processRigPrewarm(job: ProgressJob, ctx: JobContext): Promise<RigPrewarmResult> {
  const payload = ctx.payloads.rigPrewarm(job.data);
  const persona = ctx.personas.get(payload.persona);
  const assets: string[] = [];
  let built = 0;
  for (const [i, resolution] of payload.resolutions.entries()) {
    const rig = await prewarmRig(ctx.store, persona, RESOLUTIONS[resolution], ctx.personas.logosDir);
    assets.push(rig.key);
    if (rig.built) built++;
    await job.updateProgress(Math.round(((i + 1) * 100) / payload.resolutions.length));
  }
  return { assets, built };
}
