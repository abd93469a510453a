import { REFERENCE_WIDTH } from '../geometry.js';
import { paintSprite, type Sprite } from '../Sprite.js';
import { drawText, measure } from './text.js';

const RED = '#e5202e';
const MARGIN = 16;
const HEIGHT = 22;
const SIZE = 12;

/** Top-right red "LIVE" badge. */
export function buildLiveBadge(scale: number, label = 'LIVE'): Sprite {
  const width = 26 + measure(label, 'bold', SIZE) + 10;
  const x = REFERENCE_WIDTH - MARGIN - width;
  return paintSprite({ x, y: MARGIN, width, height: HEIGHT }, scale, (ctx) => {
    ctx.fillStyle = RED;
    ctx.beginPath();
    ctx.roundRect(x, MARGIN, width, HEIGHT, 4);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.arc(x + 13, MARGIN + HEIGHT / 2, 4, 0, Math.PI * 2);
    ctx.fill();
    drawText(ctx, label, x + 24, MARGIN + 15.5, { weight: 'bold', size: SIZE, colour: '#ffffff' });
  });
}
