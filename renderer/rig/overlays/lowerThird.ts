import type { PersonaLowerThird } from '../../../lib/media/Persona.js';
import { luminance, shade, withAlpha } from '../colour.js';
import { paintSprite, type Sprite } from '../Sprite.js';
import { drawText, fitText, measure } from './text.js';

export interface LowerThirdText {
  name: string;
  title: string;
}

const LEFT = 24;
const NAME_SIZE = 17;
const TITLE_SIZE = 12;
const MAX_TEXT_WIDTH = 340;

/** Rasterises the lower third once per text change; the compositor only blits it. */
export function buildLowerThird(
  text: LowerThirdText,
  style: PersonaLowerThird,
  scale: number,
): Sprite {
  const name = fitText(text.name, 'bold', NAME_SIZE, MAX_TEXT_WIDTH);
  const title = fitText(text.title, 'normal', TITLE_SIZE, MAX_TEXT_WIDTH);
  const nameWidth = measure(name, 'bold', NAME_SIZE);
  const titleWidth = title ? measure(title, 'normal', TITLE_SIZE) : 0;
  switch (style.style) {
    case 'bar':
      return buildBar(name, title, Math.max(nameWidth, titleWidth), style, scale);
    case 'pill':
      return buildPill(name, title, Math.max(nameWidth, titleWidth), style, scale);
    case 'split':
      return buildSplit(name, title, nameWidth, titleWidth, style, scale);
  }
}

function buildBar(
  name: string,
  title: string,
  textWidth: number,
  s: PersonaLowerThird,
  scale: number,
): Sprite {
  const width = LEFT + textWidth + 44;
  return paintSprite({ x: 0, y: 284, width, height: 54 }, scale, (ctx) => {
    ctx.fillStyle = withAlpha(s.background, 0.94);
    ctx.fillRect(0, 286, width, 32);
    ctx.fillStyle = s.accent;
    ctx.fillRect(LEFT, 286, 5, title ? 50 : 32);
    drawText(ctx, name, LEFT + 14, 308, { weight: 'bold', size: NAME_SIZE, colour: s.foreground });
    if (title) {
      ctx.fillStyle = withAlpha(shade(s.background, -0.35), 0.94);
      ctx.fillRect(LEFT + 5, 318, width - LEFT - 5, 18);
      drawText(ctx, title.toUpperCase(), LEFT + 14, 331, {
        weight: 'normal',
        size: TITLE_SIZE - 1,
        colour: s.accent,
      });
    }
  });
}

function buildPill(
  name: string,
  title: string,
  textWidth: number,
  s: PersonaLowerThird,
  scale: number,
): Sprite {
  const height = title ? 46 : 34;
  const top = 334 - height;
  const width = 52 + textWidth + 22;
  return paintSprite(
    { x: LEFT - 4, y: top - 4, width: width + 8, height: height + 8 },
    scale,
    (ctx) => {
      ctx.shadowColor = 'rgba(0,0,0,0.3)';
      ctx.shadowBlur = 4;
      ctx.shadowOffsetY = 1;
      ctx.fillStyle = s.background;
      ctx.beginPath();
      ctx.roundRect(LEFT, top, width, height, height / 2);
      ctx.fill();
      ctx.shadowColor = 'transparent';
      const dotR = height / 2 - 6;
      ctx.fillStyle = s.accent;
      ctx.beginPath();
      ctx.arc(LEFT + height / 2, top + height / 2, dotR, 0, Math.PI * 2);
      ctx.fill();
      const initial = [...name][0]?.toUpperCase() ?? '';
      const initialSize = Math.round(dotR * 1.1);
      drawText(
        ctx,
        initial,
        LEFT + height / 2 - measure(initial, 'bold', initialSize) / 2,
        top + height / 2 + initialSize * 0.36,
        {
          weight: 'bold',
          size: initialSize,
          colour: readableOn(s.accent),
        },
      );
      const textX = LEFT + height + 4;
      if (title) {
        drawText(ctx, name, textX, top + 21, {
          weight: 'bold',
          size: NAME_SIZE,
          colour: s.foreground,
        });
        drawText(ctx, title, textX, top + 37, {
          weight: 'normal',
          size: TITLE_SIZE,
          colour: withAlpha(s.foreground, 0.78),
        });
      } else {
        drawText(ctx, name, textX, top + 23, {
          weight: 'bold',
          size: NAME_SIZE,
          colour: s.foreground,
        });
      }
    },
  );
}

function buildSplit(
  name: string,
  title: string,
  nameWidth: number,
  titleWidth: number,
  s: PersonaLowerThird,
  scale: number,
): Sprite {
  const nameBox = nameWidth + 30;
  const titleBox = titleWidth + 30;
  return paintSprite(
    { x: LEFT, y: 282, width: Math.max(nameBox, titleBox) + 6, height: 54 },
    scale,
    (ctx) => {
      ctx.fillStyle = s.background;
      ctx.fillRect(LEFT, 284, nameBox, 28);
      ctx.fillStyle = s.accent;
      ctx.fillRect(LEFT, 284, 4, 28);
      drawText(ctx, name, LEFT + 15, 304, {
        weight: 'bold',
        size: NAME_SIZE,
        colour: s.foreground,
      });
      if (title) {
        ctx.fillStyle = s.accent;
        ctx.fillRect(LEFT, 312, titleBox, 22);
        drawText(ctx, title, LEFT + 15, 327, {
          weight: 'bold',
          size: TITLE_SIZE,
          colour: readableOn(s.accent),
        });
      }
    },
  );
}

function readableOn(background: string): string {
  return luminance(background) > 0.4 ? '#111111' : '#ffffff';
}

/**
 * Where any lower third (every style, the longest name and title, the pill's shadow) can
 * paint, in reference units: viewer overlays keep out of it (the name strap is burned in).
 */
export const LOWER_THIRD_BOUNDS = {
  x: 0,
  y: 282,
  // The widest style is the pill: its box starts at LEFT - 4 and is 52 + text + 22 + 8 wide.
  width: Math.max(LEFT + MAX_TEXT_WIDTH + 44, LEFT - 4 + 52 + MAX_TEXT_WIDTH + 22 + 8, LEFT + MAX_TEXT_WIDTH + 36),
  height: 338 - 282,
} as const;
