/**
 * Rig render cost: atlas build, then per-frame draw + read-back over varied poses at 360p
 * and 720p (the read-back is where skia does the work, so it is always included).
 * Usage: npx tsx bench/render.ts [personaId=ava] [frames=600]
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { getPersona } from '../pipeline/persona/index.js';
import {
  Compositor,
  presenterLowerThird,
  RigAtlas,
  VISEMES,
  type RigPose,
} from '../renderer/rig/index.js';

const personaId = process.argv[2] ?? 'ava';
const frames = Number(process.argv[3] ?? 600);
const WARMUP = 30;

/** Deterministic, speech-like pose sequence: visemes change every ~3 frames, a blink every ~4 s. */
function poseAt(i: number): RigPose {
  const t = i / 30;
  return {
    viseme: VISEMES[Math.floor(i / 3 + Math.sin(i) * 2 + 2) % VISEMES.length] ?? 'sil',
    mouthOpen: 0.5 + 0.5 * Math.sin(i * 0.9),
    eyeOpen: i % 120 < 6 ? Math.abs(3 - (i % 120)) / 3 : 1,
    headX: 4 * Math.sin(t * 0.8),
    headY: 2 * Math.sin(t * 1.3),
    breath: 0.5 + 0.5 * Math.sin(t * 1.6),
    emphasis: Math.max(0, Math.sin(t * 2.1)),
  };
}

const persona = getPersona(personaId);
console.log(`persona ${persona.id}, ${frames} frames per resolution, ${WARMUP} warm-up frames`);
for (const [width, height] of [
  [640, 360],
  [1280, 720],
] as const) {
  const atlas = await RigAtlas.create(persona, { width, height });
  const compositor = new Compositor(atlas);
  compositor.setLowerThird(presenterLowerThird(persona));
  compositor.setLiveBadge(true);
  for (let i = 0; i < WARMUP; i++) compositor.renderFrame(poseAt(i));
  const samples: number[] = [];
  let checksum = 0;
  for (let i = 0; i < frames; i++) {
    const started = performance.now();
    const rgba = compositor.renderFrame(poseAt(i));
    samples.push(performance.now() - started);
    checksum = (checksum + (rgba[(i * 7919) % rgba.length] as number)) | 0;
  }
  console.log(`${height}p atlas build: ${atlas.buildMs.toFixed(2)}ms`);
  console.log(
    formatSummary(`${height}p draw+readback`, summarize(samples)),
    `(checksum ${checksum})`,
  );
}
