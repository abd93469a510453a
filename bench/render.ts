/**
 * Rig render cost: atlas build, then per-frame draw + read-back over varied poses at 360p
 * and 720p (the read-back is where skia does the work, so it is always included), for the
 * full redraw (the old path) and the partial redraw, frame by frame alternating in one run.
 * Usage: npx tsx bench/render.ts [personaId=ava] [frames=600]
 */
import { formatSummary, summarize } from '../lib/percentiles.js';
import { getPersona } from '../pipeline/persona/index.js';
import {
  Compositor,
  presenterLowerThird,
  RigAtlas,
  VISEMES,
  type RedrawMode,
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
  const modes: RedrawMode[] = ['full', 'partial'];
  const compositors = modes.map((redraw) => new Compositor(atlas, { redraw }));
  for (const compositor of compositors) {
    compositor.setLowerThird(presenterLowerThird(persona));
    compositor.setLiveBadge(true);
    for (let i = 0; i < WARMUP; i++) compositor.renderFrame(poseAt(i));
  }
  const samples: number[][] = modes.map(() => []);
  let mismatches = 0;
  for (let i = 0; i < frames; i++) {
    const rgba: Buffer[] = [];
    // Alternate which path goes first each frame, so neither always finds warmer caches.
    for (const m of i % 2 ? [1, 0] : [0, 1]) {
      const started = performance.now();
      rgba[m] = compositors[m]!.renderFrame(poseAt(i));
      samples[m]!.push(performance.now() - started);
    }
    if (!rgba[0]!.equals(rgba[1]!)) mismatches++;
  }
  console.log(`${height}p atlas build: ${atlas.buildMs.toFixed(2)}ms`);
  for (const [m, mode] of modes.entries()) console.log(formatSummary(`${height}p ${mode} redraw, draw+readback`, summarize(samples[m]!)));
  const [full, partial] = samples.map((s) => summarize(s));
  const bands = compositors[1]!.motionBands.reduce((n, b) => n + b.width * b.height, 0) / (width * height);
  console.log(
    `${height}p full / partial: p50 ${(full!.p50 / partial!.p50).toFixed(2)}×, p95 ${(full!.p95 / partial!.p95).toFixed(2)}×, p99 ${(full!.p99 / partial!.p99).toFixed(2)}× (bands ${(bands * 100).toFixed(0)}% of the frame; frames that differ: ${mismatches})`,
  );
}
