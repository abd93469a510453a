import { Animator } from '../../animate/Animator.js';
import { encodeUtterance } from '../../animate/utteranceCodec.js';
import { samplesPerFrame } from '../../../lib/media/codecs.js';
import { Mp4ClipWriter } from '../../encode/Mp4ClipWriter.js';
import { Compositor, presenterLowerThird, RigAtlas } from '../../../renderer/rig/index.js';
import { clipAssetKey } from '../../store/assetKeys.js';
import { loadPrewarmedRig } from '../../store/rigAssets.js';
import { cachePhrase, UTTERANCE_FILE } from '../../store/voiceAssets.js';
import { JobCancelledError } from '../errors.js';
import type { JobContext } from '../JobContext.js';
import { RESOLUTIONS } from '../payloads.js';
import type { ProgressJob } from './ProgressJob.js';

export const PREVIEW_FILE = 'preview.mp4';

export interface ClipRenderResult {
  asset: string;
  /** The spliceable form: the phrase's audio and viseme track, also cached as a voice asset. */
  voiceAsset: string;
  durationMs: number;
  frames: number;
  renderMs: number;
  rendered: boolean;
}

/** Text + persona → TTS → animation → frames → an MP4 preview plus the spliceable tracks. */
export async function processClipRender(job: ProgressJob, ctx: JobContext, signal?: AbortSignal): Promise<ClipRenderResult> {
  const started = performance.now();
  const payload = ctx.payloads.clipRender(job.data);
  const persona = ctx.personas.get(payload.persona);
  const size = RESOLUTIONS[payload.resolution];
  const key = clipAssetKey(payload.text, persona, size, ctx.fps);
  const phrase = await cachePhrase(ctx.store, ctx.tts, payload.text, persona, signal);
  const frames = Math.ceil(phrase.utterance.pcm.length / samplesPerFrame(ctx.fps));
  const result = { asset: key, voiceAsset: phrase.key, durationMs: Math.round((frames * 1000) / ctx.fps), frames };
  if (await ctx.store.get(key)) return { ...result, renderMs: 0, rendered: false };

  const atlas = (await loadPrewarmedRig(ctx.store, persona, size)) ?? (await RigAtlas.create(persona, { ...size, logosDir: ctx.personas.logosDir }));
  const compositor = new Compositor(atlas);
  compositor.setLowerThird(presenterLowerThird(persona));
  const animator = new Animator(1);
  const perFrame = samplesPerFrame(ctx.fps);
  const outputPath = ctx.store.blobs.tempPath('.mp4');
  const wavPath = ctx.store.blobs.tempPath('.wav');
  const writer = await Mp4ClipWriter.open({ ...size, fps: ctx.fps, outputPath, wavPath }, phrase.utterance.pcm);
  try {
    for (let frame = 0; frame < frames; frame++) {
      if (signal?.aborted) throw new JobCancelledError();
      const pose = animator.pose((frame * 1000) / ctx.fps, { utterance: phrase.utterance, sample: frame * perFrame });
      await writer.writeFrame(compositor.renderFrame(pose));
      if (frame % 30 === 29) await job.updateProgress(Math.round((frame * 100) / frames));
    }
    await writer.finish();
    await ctx.store.save(
      { key, kind: 'clip', persona: persona.id, label: `${payload.name}: ${payload.text.slice(0, 100)}`, meta: { name: payload.name, resolution: payload.resolution, durationMs: result.durationMs, voiceAsset: phrase.key } },
      [
        { name: PREVIEW_FILE, tempPath: outputPath },
        { name: UTTERANCE_FILE, bytes: encodeUtterance(phrase.utterance) },
      ],
    );
  } catch (error) {
    writer.abort();
    await ctx.store.blobs.discard(outputPath);
    throw error;
  } finally {
    await ctx.store.blobs.discard(wavPath);
  }
  await job.updateProgress(100);
  return { ...result, renderMs: Math.round(performance.now() - started), rendered: true };
}
