import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade } from '../colour.js';
import { RIG } from '../geometry.js';

const { centreX: cx, eyes } = RIG;
const LASH = '#1c1416';

/** Both eyes at one openness (1 = open, 0 = closed). Closed eyes are a lash curve only. */
export function drawEyes(ctx: SKRSContext2D, look: PersonaLook, openness: number): void {
  for (const side of [-1, 1]) {
    const x = cx + side * eyes.dx;
    if (openness <= 0.05) drawClosedEye(ctx, x, look.skin);
    else drawOpenEye(ctx, x, side, openness, look);
  }
}

function drawOpenEye(
  ctx: SKRSContext2D,
  x: number,
  side: number,
  openness: number,
  look: PersonaLook,
): void {
  const { cy, rx, ry } = eyes;
  // The upper lid comes down; the lower lid stays, so the eye closes toward its bottom.
  const lidRy = ry * openness;
  const midY = cy + ry - lidRy;
  ctx.save();
  ctx.beginPath();
  ctx.ellipse(x, midY, rx, lidRy, 0, 0, Math.PI * 2);
  ctx.clip();
  ctx.fillStyle = '#fbfbf8';
  ctx.fillRect(x - rx, cy - ry, rx * 2, ry * 2);
  const irisX = x + side * 0.8;
  ctx.fillStyle = look.eyes;
  ctx.beginPath();
  ctx.arc(irisX, cy + 0.5, 6.6, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = shade(look.eyes, -0.65);
  ctx.beginPath();
  ctx.arc(irisX, cy + 0.5, 3.3, 0, Math.PI * 2);
  ctx.fill();
  ctx.fillStyle = '#ffffff';
  ctx.beginPath();
  ctx.arc(irisX - 2.2, cy - 2, 1.7, 0, Math.PI * 2);
  ctx.fill();
  // Lid shadow.
  ctx.fillStyle = 'rgba(60,30,30,0.18)';
  ctx.fillRect(x - rx, midY - lidRy, rx * 2, 2.5);
  ctx.restore();

  // Upper lash line follows the lid.
  ctx.strokeStyle = LASH;
  ctx.lineWidth = 2.4;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.ellipse(x, midY, rx + 0.6, lidRy + 0.6, 0, Math.PI * 1.05, Math.PI * 1.95);
  ctx.stroke();
  // Outer lash flick.
  ctx.beginPath();
  ctx.moveTo(x + side * rx * 0.95, midY - lidRy * 0.35);
  ctx.lineTo(x + side * (rx + 3), midY - lidRy * 0.35 - 2.5);
  ctx.stroke();
}

function drawClosedEye(ctx: SKRSContext2D, x: number, skin: string): void {
  const { cy, rx, ry } = eyes;
  // Lid skin is already under us (the head sprite), so only the lash line shows.
  ctx.fillStyle = shade(skin, -0.06);
  ctx.beginPath();
  ctx.ellipse(x, cy + ry - 1, rx, 2.5, 0, 0, Math.PI);
  ctx.fill();
  ctx.strokeStyle = LASH;
  ctx.lineWidth = 2.4;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.ellipse(x, cy + ry - 3, rx, 3, 0, 0.1 * Math.PI, 0.9 * Math.PI);
  ctx.stroke();
}

export function drawBrows(ctx: SKRSContext2D, look: PersonaLook): void {
  const colour =
    look.hair.style === 'bald' ? shade(look.skin, -0.45) : shade(look.hair.colour, -0.1);
  ctx.strokeStyle = colour;
  ctx.lineWidth = 4;
  ctx.lineCap = 'round';
  for (const side of [-1, 1]) {
    const x = cx + side * eyes.dx;
    const y = RIG.brows.cy;
    ctx.beginPath();
    ctx.moveTo(x - side * 12, y + 3);
    ctx.quadraticCurveTo(x + side * 2, y - 4, x + side * 14, y + 2);
    ctx.stroke();
  }
}
