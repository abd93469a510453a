import { cachePhrase } from '../../store/voiceAssets.js';
import type { JobContext } from '../JobContext.js';
import type { ProgressJob } from './ProgressJob.js';

export interface VoiceCacheResult {
  assets: string[];
  synthesized: number;
}

/** Common phrases → PCM with word and phoneme-derived viseme tracks, per persona. */
export async function processVoiceCache(job: ProgressJob, ctx: JobContext, signal?: AbortSignal): Promise<VoiceCacheResult> {
  const payload = ctx.payloads.voiceCache(job.data);
  const persona = ctx.personas.get(payload.persona);
  const assets: string[] = [];
  let synthesized = 0;
  for (const [i, text] of payload.phrases.entries()) {
    const phrase = await cachePhrase(ctx.store, ctx.tts, text, persona, signal);
    assets.push(phrase.key);
    if (phrase.synthesized) synthesized++;
    await job.updateProgress(Math.round(((i + 1) * 100) / payload.phrases.length));
  }
  return { assets, synthesized };
}
