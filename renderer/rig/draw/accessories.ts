import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade } from '../colour.js';
import { RIG } from '../geometry.js';

const { centreX: cx, eyes, ears } = RIG;

export function drawAccessory(ctx: SKRSContext2D, look: PersonaLook): void {
  switch (look.accessory) {
    case 'glasses':
      drawGlasses(ctx);
      break;
    case 'earrings':
      drawEarrings(ctx);
      break;
    case 'headset':
      drawHeadset(ctx, look.background.accent);
      break;
    case 'none':
      break;
  }
}

function drawGlasses(ctx: SKRSContext2D): void {
  ctx.strokeStyle = '#1e1e24';
  ctx.lineWidth = 3;
  ctx.lineJoin = 'round';
  for (const side of [-1, 1]) {
    const x = cx + side * eyes.dx;
    ctx.fillStyle = 'rgba(200,225,255,0.12)';
    ctx.beginPath();
    ctx.roundRect(x - 17, eyes.cy - 13, 34, 26, 8);
    ctx.fill();
    ctx.stroke();
    // Temple arm to the ear.
    ctx.beginPath();
    ctx.moveTo(cx + side * (eyes.dx + 17), eyes.cy - 6);
    ctx.lineTo(cx + side * (ears.dx - 2), eyes.cy - 8);
    ctx.stroke();
  }
  ctx.beginPath();
  ctx.moveTo(cx - eyes.dx + 17, eyes.cy - 4);
  ctx.quadraticCurveTo(cx, eyes.cy - 10, cx + eyes.dx - 17, eyes.cy - 4);
  ctx.stroke();
}

function drawEarrings(ctx: SKRSContext2D): void {
  for (const side of [-1, 1]) {
    const x = cx + side * (ears.dx + 1);
    const y = ears.cy + ears.ry - 1;
    ctx.strokeStyle = '#e0b547';
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x, y + 7);
    ctx.stroke();
    ctx.fillStyle = '#f2c94c';
    ctx.beginPath();
    ctx.arc(x, y + 11, 4.2, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.7)';
    ctx.beginPath();
    ctx.arc(x - 1.3, y + 9.7, 1.3, 0, Math.PI * 2);
    ctx.fill();
  }
}

function drawHeadset(ctx: SKRSContext2D, accent: string): void {
  const band = '#2b2d33';
  ctx.strokeStyle = band;
  ctx.lineWidth = 5;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.ellipse(cx, ears.cy, ears.dx + 8, 98, 0, Math.PI * 1.04, Math.PI * 1.96);
  ctx.stroke();
  // Ear cups.
  for (const side of [-1, 1]) {
    ctx.fillStyle = band;
    ctx.beginPath();
    ctx.roundRect(cx + side * (ears.dx + 4) - 8, ears.cy - 16, 16, 32, 7);
    ctx.fill();
    ctx.fillStyle = accent;
    ctx.beginPath();
    ctx.roundRect(cx + side * (ears.dx + 4) - 3 + side * 3, ears.cy - 10, 5, 20, 2.5);
    ctx.fill();
  }
  // Boom mic from the left cup toward the corner of the mouth, stopping short of it.
  ctx.strokeStyle = band;
  ctx.lineWidth = 2.6;
  ctx.beginPath();
  ctx.moveTo(cx - ears.dx - 2, ears.cy + 12);
  ctx.quadraticCurveTo(cx - ears.dx + 2, 200, cx - 34, 204);
  ctx.stroke();
  ctx.fillStyle = shade(band, 0.15);
  ctx.beginPath();
  ctx.ellipse(cx - 32, 204, 6, 4.5, 0, 0, Math.PI * 2);
  ctx.fill();
}
