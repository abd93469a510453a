import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade } from '../colour.js';
import { RIG } from '../geometry.js';

type Hair = PersonaLook['hair'];
const cx = RIG.centreX;

/** Hair that falls behind the face and ears. */
export function drawHairBack(ctx: SKRSContext2D, hair: Hair): void {
  ctx.fillStyle = shade(hair.colour, -0.12);
  switch (hair.style) {
    case 'long':
      drawLongHairBack(ctx);
      break;
    case 'curly':
      for (const [x, y, r] of curlRing(cx, 132, 80, 74, 18, 24)) {
        ctx.beginPath();
        ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fill();
      }
      ctx.beginPath();
      ctx.ellipse(cx, 128, 74, 68, 0, 0, Math.PI * 2);
      ctx.fill();
      break;
    case 'bun':
      ctx.fillStyle = hair.colour;
      ctx.beginPath();
      ctx.arc(cx, 60, 24, 0, Math.PI * 2);
      ctx.fill();
      break;
    case 'short':
    case 'bald':
      break;
  }
}

/** Two locks falling past the shoulders; the gap under the chin lets the neck show. */
function drawLongHairBack(ctx: SKRSContext2D): void {
  ctx.beginPath();
  ctx.moveTo(cx, 64);
  ctx.bezierCurveTo(cx + 60, 62, cx + 80, 110, cx + 78, 170);
  ctx.bezierCurveTo(cx + 78, 220, cx + 88, 250, cx + 82, 280);
  ctx.quadraticCurveTo(cx + 66, 292, cx + 46, 280);
  ctx.bezierCurveTo(cx + 26, 262, cx + 19, 240, cx + 20, 204);
  ctx.lineTo(cx - 20, 204);
  ctx.bezierCurveTo(cx - 19, 240, cx - 26, 262, cx - 46, 280);
  ctx.quadraticCurveTo(cx - 66, 292, cx - 82, 280);
  ctx.bezierCurveTo(cx - 88, 250, cx - 78, 220, cx - 78, 170);
  ctx.bezierCurveTo(cx - 80, 110, cx - 60, 62, cx, 64);
  ctx.closePath();
  ctx.fill();
  ctx.strokeStyle = 'rgba(255,255,255,0.10)';
  ctx.lineWidth = 1.6;
  for (const side of [-1, 1]) {
    ctx.beginPath();
    ctx.moveTo(cx + side * 66, 190);
    ctx.quadraticCurveTo(cx + side * 74, 240, cx + side * 64, 276);
    ctx.stroke();
  }
}

/** Hair drawn over the forehead. */
export function drawHairFront(ctx: SKRSContext2D, hair: Hair): void {
  ctx.fillStyle = hair.colour;
  ctx.strokeStyle = shade(hair.colour, 0.18);
  ctx.lineWidth = 1.6;
  ctx.lineCap = 'round';
  switch (hair.style) {
    case 'short':
      ctx.beginPath();
      ctx.moveTo(cx - 57, 146);
      ctx.bezierCurveTo(cx - 64, 96, cx - 40, 68, cx, 68);
      ctx.bezierCurveTo(cx + 42, 68, cx + 64, 96, cx + 57, 146);
      ctx.lineTo(cx + 53, 146);
      ctx.bezierCurveTo(cx + 52, 118, cx + 44, 104, cx + 30, 100);
      ctx.bezierCurveTo(cx + 4, 106, cx - 24, 100, cx - 36, 94);
      ctx.bezierCurveTo(cx - 48, 106, cx - 52, 120, cx - 53, 146);
      ctx.closePath();
      ctx.fill();
      strands(ctx, [
        [cx - 20, 80, cx - 4, 74],
        [cx + 6, 78, cx + 26, 78],
      ]);
      break;
    case 'long':
      // Middle parting with two sweeps that frame the forehead.
      ctx.beginPath();
      ctx.moveTo(cx - 58, 160);
      ctx.bezierCurveTo(cx - 66, 94, cx - 36, 66, cx, 66);
      ctx.bezierCurveTo(cx + 36, 66, cx + 66, 94, cx + 58, 160);
      ctx.bezierCurveTo(cx + 50, 124, cx + 34, 100, cx + 2, 92);
      ctx.lineTo(cx - 2, 92);
      ctx.bezierCurveTo(cx - 34, 100, cx - 50, 124, cx - 58, 160);
      ctx.closePath();
      ctx.fill();
      strands(ctx, [
        [cx - 8, 76, cx - 36, 96],
        [cx + 8, 76, cx + 36, 96],
      ]);
      break;
    case 'curly':
      for (const [x, y, r] of curlRing(cx, 96, 46, 22, 9, 11)) {
        if (y > 104) continue;
        ctx.beginPath();
        ctx.arc(x, y, r, 0, Math.PI * 2);
        ctx.fill();
      }
      break;
    case 'bun':
      ctx.beginPath();
      ctx.moveTo(cx - 56, 140);
      ctx.bezierCurveTo(cx - 62, 88, cx - 34, 70, cx, 70);
      ctx.bezierCurveTo(cx + 34, 70, cx + 62, 88, cx + 56, 140);
      ctx.bezierCurveTo(cx + 48, 108, cx + 30, 96, cx, 94);
      ctx.bezierCurveTo(cx - 30, 96, cx - 48, 108, cx - 56, 140);
      ctx.closePath();
      ctx.fill();
      strands(ctx, [
        [cx - 30, 84, cx - 6, 74],
        [cx + 30, 84, cx + 6, 74],
      ]);
      break;
    case 'bald':
      ctx.fillStyle = 'rgba(255,255,255,0.16)';
      ctx.beginPath();
      ctx.ellipse(cx - 18, 96, 16, 7, -0.35, 0, Math.PI * 2);
      ctx.fill();
      break;
  }
}

/** Light strokes that read as hair texture. Each entry: from x,y to x,y (curved). */
function strands(
  ctx: SKRSContext2D,
  lines: readonly (readonly [number, number, number, number])[],
): void {
  for (const [x1, y1, x2, y2] of lines) {
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.quadraticCurveTo((x1 + x2) / 2, Math.min(y1, y2) - 4, x2, y2);
    ctx.stroke();
  }
}

/** Circles along an ellipse, alternating radius, for curly hair. */
function curlRing(
  x: number,
  y: number,
  rx: number,
  ry: number,
  rMin: number,
  rMax: number,
): [number, number, number][] {
  const curls: [number, number, number][] = [];
  const count = 22;
  for (let i = 0; i < count; i++) {
    const a = (i / count) * Math.PI * 2;
    curls.push([x + Math.cos(a) * rx, y + Math.sin(a) * ry, i % 2 ? rMin : rMax]);
  }
  return curls;
}
