import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade } from '../colour.js';
import { RIG } from '../geometry.js';

const { centreX: cx } = RIG;
const BOTTOM = 372;

/** Neck, shoulders and outfit. */
export function drawBody(ctx: SKRSContext2D, look: PersonaLook): void {
  drawNeck(ctx, look.skin);
  ctx.fillStyle = look.shirt;
  torsoPath(ctx);
  ctx.fill();
  // Soft light from the front-top.
  const light = ctx.createLinearGradient(0, 250, 0, BOTTOM);
  light.addColorStop(0, 'rgba(255,255,255,0.10)');
  light.addColorStop(1, 'rgba(0,0,0,0.18)');
  ctx.fillStyle = light;
  torsoPath(ctx);
  ctx.fill();

  switch (look.outfit) {
    case 'crew':
      drawCrewNeck(ctx, look);
      break;
    case 'collar':
      drawCollar(ctx, look);
      break;
    case 'blazer':
      drawBlazer(ctx, look);
      break;
  }
}

function drawNeck(ctx: SKRSContext2D, skin: string): void {
  const { halfWidth, top, bottom } = RIG.neck;
  ctx.fillStyle = skin;
  ctx.beginPath();
  ctx.moveTo(cx - halfWidth, top);
  ctx.lineTo(cx - halfWidth - 2, bottom);
  ctx.lineTo(cx + halfWidth + 2, bottom);
  ctx.lineTo(cx + halfWidth, top);
  ctx.closePath();
  ctx.fill();
  // Shadow cast by the chin.
  const shadow = ctx.createLinearGradient(0, top + 14, 0, top + 40);
  shadow.addColorStop(0, shade(skin, -0.28));
  shadow.addColorStop(1, skin);
  ctx.fillStyle = shadow;
  ctx.fillRect(cx - halfWidth, top, halfWidth * 2, 44);
}

function torsoPath(ctx: SKRSContext2D): void {
  const { y, halfWidth } = RIG.shoulders;
  ctx.beginPath();
  ctx.moveTo(cx - 30, 252);
  ctx.bezierCurveTo(cx - 70, 258, cx - halfWidth + 20, y - 14, cx - halfWidth + 4, y + 16);
  ctx.bezierCurveTo(
    cx - halfWidth - 6,
    y + 40,
    cx - halfWidth - 8,
    330,
    cx - halfWidth - 10,
    BOTTOM,
  );
  ctx.lineTo(cx + halfWidth + 10, BOTTOM);
  ctx.bezierCurveTo(
    cx + halfWidth + 8,
    330,
    cx + halfWidth + 6,
    y + 40,
    cx + halfWidth - 4,
    y + 16,
  );
  ctx.bezierCurveTo(cx + halfWidth - 20, y - 14, cx + 70, 258, cx + 30, 252);
  ctx.closePath();
}

function drawCrewNeck(ctx: SKRSContext2D, look: PersonaLook): void {
  ctx.fillStyle = look.skin;
  ctx.beginPath();
  ctx.ellipse(cx, 254, 30, 16, 0, 0, Math.PI);
  ctx.fill();
  ctx.strokeStyle = shade(look.shirt, -0.25);
  ctx.lineWidth = 5;
  ctx.beginPath();
  ctx.ellipse(cx, 254, 32, 18, 0, 0.05, Math.PI - 0.05);
  ctx.stroke();
}

function drawCollar(ctx: SKRSContext2D, look: PersonaLook): void {
  // Open neck: a V of skin, then two collar points folded over it.
  ctx.fillStyle = look.skin;
  ctx.beginPath();
  ctx.moveTo(cx - 26, 250);
  ctx.lineTo(cx, 292);
  ctx.lineTo(cx + 26, 250);
  ctx.closePath();
  ctx.fill();
  const collar = shade(look.shirt, 0.22);
  for (const side of [-1, 1]) {
    ctx.fillStyle = collar;
    ctx.beginPath();
    ctx.moveTo(cx + side * 28, 244);
    ctx.lineTo(cx + side * 4, 292);
    ctx.lineTo(cx + side * 42, 280);
    ctx.lineTo(cx + side * 40, 252);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = shade(look.shirt, -0.2);
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.fillStyle = shade(look.shirt, -0.3);
  for (const y of [312, 338]) {
    ctx.beginPath();
    ctx.arc(cx, y, 2.4, 0, Math.PI * 2);
    ctx.fill();
  }
}

function drawBlazer(ctx: SKRSContext2D, look: PersonaLook): void {
  // Shirt front and tie inside the jacket opening.
  ctx.fillStyle = '#f2f2ee';
  ctx.beginPath();
  ctx.moveTo(cx - 30, 250);
  ctx.lineTo(cx - 40, BOTTOM);
  ctx.lineTo(cx + 40, BOTTOM);
  ctx.lineTo(cx + 30, 250);
  ctx.closePath();
  ctx.fill();
  const tie = shade(look.background.accent, -0.35);
  ctx.fillStyle = tie;
  ctx.beginPath();
  ctx.moveTo(cx - 7, 262);
  ctx.lineTo(cx + 7, 262);
  ctx.lineTo(cx + 4, 270);
  ctx.lineTo(cx + 11, 340);
  ctx.lineTo(cx, 352);
  ctx.lineTo(cx - 11, 340);
  ctx.lineTo(cx - 4, 270);
  ctx.closePath();
  ctx.fill();
  // Shirt collar points.
  ctx.fillStyle = '#ffffff';
  for (const side of [-1, 1]) {
    ctx.beginPath();
    ctx.moveTo(cx + side * 24, 246);
    ctx.lineTo(cx + side * 6, 264);
    ctx.lineTo(cx + side * 24, 274);
    ctx.closePath();
    ctx.fill();
  }
  // Lapels: jacket panels meeting low, with a darker edge.
  const lapel = shade(look.shirt, 0.12);
  for (const side of [-1, 1]) {
    ctx.fillStyle = lapel;
    ctx.beginPath();
    ctx.moveTo(cx + side * 32, 250);
    ctx.lineTo(cx + side * 6, BOTTOM);
    ctx.lineTo(cx + side * 60, BOTTOM);
    ctx.lineTo(cx + side * 50, 300);
    ctx.lineTo(cx + side * 62, 288);
    ctx.lineTo(cx + side * 48, 256);
    ctx.closePath();
    ctx.fill();
    ctx.strokeStyle = shade(look.shirt, -0.35);
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.fillStyle = shade(look.shirt, -0.4);
  ctx.beginPath();
  ctx.arc(cx + 20, 352, 3, 0, Math.PI * 2);
  ctx.fill();
}
