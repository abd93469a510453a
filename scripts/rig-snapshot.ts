/**
 * Writes review images for every shipped persona: `rig-<id>.png` (a 360p frame with lower
 * third and LIVE badge) and `rig-<id>-sheet.png` (each viseme and blink step, magnified).
 * Usage: npx tsx scripts/rig-snapshot.ts [outDir=/tmp] [height=360]
 */
import { createCanvas, ImageData } from '@napi-rs/canvas';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPersonas } from '../pipeline/persona/index.js';
import { Compositor, presenterLowerThird } from '../renderer/rig/Compositor.js';
import { REST_POSE, VISEMES, type RigPose } from '../renderer/rig/pose.js';
import { RigAtlas } from '../renderer/rig/RigAtlas.js';

const outDir = process.argv[2] ?? '/tmp';
const height = Number(process.argv[3] ?? 360);
const width = (height * 16) / 9;

for (const persona of loadPersonas().list()) {
  const atlas = await RigAtlas.create(persona, { width, height });
  const compositor = new Compositor(atlas);
  compositor.setLowerThird(presenterLowerThird(persona));
  compositor.setLiveBadge(true);
  compositor.renderFrame(REST_POSE);
  writeFileSync(join(outDir, `rig-${persona.id}.png`), compositor.encodePng());

  compositor.setLowerThird(null);
  compositor.setLiveBadge(false);
  const poses: [string, RigPose][] = [
    ...VISEMES.map((v): [string, RigPose] => [v, { ...REST_POSE, viseme: v, mouthOpen: 1 }]),
    ['AA 0.3', { ...REST_POSE, viseme: 'AA', mouthOpen: 0.3 }],
    ...[0.75, 0.5, 0.25, 0].map((e): [string, RigPose] => [
      `eye ${e}`,
      { ...REST_POSE, eyeOpen: e },
    ]),
  ];
  const s = atlas.scale;
  const crop = { x: 250 * s, y: 110 * s, w: 140 * s, h: 110 * s };
  const cell = { w: 280, h: 220 };
  const cols = 5;
  const sheet = createCanvas(cell.w * cols, cell.h * Math.ceil(poses.length / cols));
  const ctx = sheet.getContext('2d');
  const frameCanvas = createCanvas(width, height);
  poses.forEach(([label, pose], i) => {
    const rgba = compositor.renderFrame(pose);
    const pixels = new Uint8ClampedArray(rgba.buffer, rgba.byteOffset, rgba.length);
    frameCanvas.getContext('2d').putImageData(new ImageData(pixels, width, height), 0, 0);
    const x = (i % cols) * cell.w;
    const y = Math.floor(i / cols) * cell.h;
    ctx.drawImage(frameCanvas, crop.x, crop.y, crop.w, crop.h, x, y, cell.w, cell.h);
    ctx.fillStyle = '#000';
    ctx.fillRect(x, y, 70, 18);
    ctx.fillStyle = '#fff';
    ctx.font = '13px sans-serif';
    ctx.fillText(label, x + 4, y + 13);
  });
  writeFileSync(join(outDir, `rig-${persona.id}-sheet.png`), sheet.toBuffer('image/png'));
  console.log(
    `${persona.id}: atlas ${atlas.buildMs.toFixed(1)} ms, face safe area`,
    atlas.faceSafeArea,
  );
}
