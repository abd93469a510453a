import type { Image, SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade, withAlpha } from '../colour.js';
import { REFERENCE_HEIGHT, REFERENCE_WIDTH, RIG } from '../geometry.js';

/** The studio plate: gradient, spotlight behind the presenter, soft panels, optional logo. */
export function drawBackground(ctx: SKRSContext2D, look: PersonaLook, logo?: Image): void {
  const { top, bottom, accent } = look.background;
  const gradient = ctx.createLinearGradient(0, 0, 0, REFERENCE_HEIGHT);
  gradient.addColorStop(0, top);
  gradient.addColorStop(1, bottom);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, REFERENCE_WIDTH, REFERENCE_HEIGHT);

  // Studio panels: tall rounded slabs either side, a shade off the wall colour.
  for (const [x, w, alpha] of [
    [28, 70, 0.1],
    [112, 34, 0.07],
    [494, 34, 0.07],
    [546, 70, 0.1],
  ] as const) {
    ctx.fillStyle = withAlpha(shade(top, 0.5), alpha);
    ctx.beginPath();
    ctx.roundRect(x, 40, w, 260, 10);
    ctx.fill();
  }

  // Horizon line of light behind the shoulders.
  const horizon = ctx.createLinearGradient(0, 0, REFERENCE_WIDTH, 0);
  horizon.addColorStop(0, withAlpha(accent, 0));
  horizon.addColorStop(0.5, withAlpha(accent, 0.55));
  horizon.addColorStop(1, withAlpha(accent, 0));
  ctx.fillStyle = horizon;
  ctx.fillRect(0, 232, REFERENCE_WIDTH, 3);

  const spot = ctx.createRadialGradient(RIG.centreX, 150, 10, RIG.centreX, 160, 190);
  spot.addColorStop(0, withAlpha(accent, 0.38));
  spot.addColorStop(1, withAlpha(accent, 0));
  ctx.fillStyle = spot;
  ctx.fillRect(0, 0, REFERENCE_WIDTH, REFERENCE_HEIGHT);

  if (logo) drawLogo(ctx, logo);
}

function drawLogo(ctx: SKRSContext2D, logo: Image): void {
  const maxW = 120;
  const maxH = 40;
  const fit = Math.min(maxW / logo.width, maxH / logo.height);
  const w = logo.width * fit;
  const h = logo.height * fit;
  ctx.globalAlpha = 0.92;
  ctx.drawImage(logo, 16, 16, w, h);
  ctx.globalAlpha = 1;
}
