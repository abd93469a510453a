import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade, withAlpha } from '../colour.js';
import { RIG } from '../geometry.js';
import { drawAccessory } from './accessories.js';
import { drawHairBack, drawHairFront } from './hair.js';

const { centreX: cx, face, ears } = RIG;

/** Everything that moves with the head except eyes, brows and mouth (those are their own sprites). */
export function drawHead(ctx: SKRSContext2D, look: PersonaLook): void {
  drawHairBack(ctx, look.hair);
  drawEars(ctx, look.skin);
  ctx.fillStyle = look.skin;
  facePath(ctx);
  ctx.fill();
  drawFaceDetails(ctx, look.skin);
  drawHairFront(ctx, look.hair);
  drawAccessory(ctx, look);
}

/** Egg-shaped face: widest at the cheekbones, tapering to a rounded chin. */
export function facePath(ctx: SKRSContext2D): void {
  const { rx, top, chin } = face;
  ctx.beginPath();
  ctx.moveTo(cx, top);
  ctx.bezierCurveTo(cx + rx * 0.62, top, cx + rx, top + 22, cx + rx, face.cy - 4);
  ctx.bezierCurveTo(cx + rx, chin - 36, cx + rx * 0.55, chin, cx, chin);
  ctx.bezierCurveTo(cx - rx * 0.55, chin, cx - rx, chin - 36, cx - rx, face.cy - 4);
  ctx.bezierCurveTo(cx - rx, top + 22, cx - rx * 0.62, top, cx, top);
  ctx.closePath();
}

function drawEars(ctx: SKRSContext2D, skin: string): void {
  for (const side of [-1, 1]) {
    const x = cx + side * ears.dx;
    ctx.fillStyle = skin;
    ctx.beginPath();
    ctx.ellipse(x, ears.cy, ears.rx, ears.ry, side * 0.15, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = shade(skin, -0.16);
    ctx.beginPath();
    ctx.ellipse(x + side * 2, ears.cy, ears.rx * 0.45, ears.ry * 0.6, side * 0.15, 0, Math.PI * 2);
    ctx.fill();
  }
}

function drawFaceDetails(ctx: SKRSContext2D, skin: string): void {
  // Cheeks.
  for (const side of [-1, 1]) {
    const blush = ctx.createRadialGradient(cx + side * 32, 178, 1, cx + side * 32, 178, 14);
    blush.addColorStop(0, withAlpha('#ff6f7d', 0.28));
    blush.addColorStop(1, withAlpha('#ff6f7d', 0));
    ctx.fillStyle = blush;
    ctx.fillRect(cx + side * 32 - 14, 164, 28, 28);
  }
  // Nose: just the underside of the tip and a hint of one nostril.
  ctx.strokeStyle = shade(skin, -0.3);
  ctx.lineWidth = 2.2;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(cx - 6, 172);
  ctx.quadraticCurveTo(cx, 177, cx + 6, 172);
  ctx.stroke();
  ctx.strokeStyle = withAlpha(shade(skin, -0.3), 0.5);
  ctx.lineWidth = 1.6;
  ctx.beginPath();
  ctx.moveTo(cx + 4, 154);
  ctx.quadraticCurveTo(cx + 7, 163, cx + 6, 168);
  ctx.stroke();
  // Jaw shade near the chin sells the roundness.
  const jaw = ctx.createRadialGradient(cx, 150, 40, cx, 160, 80);
  jaw.addColorStop(0, withAlpha(shade(skin, -0.3), 0));
  jaw.addColorStop(1, withAlpha(shade(skin, -0.3), 0.35));
  ctx.fillStyle = jaw;
  facePath(ctx);
  ctx.fill();
}
