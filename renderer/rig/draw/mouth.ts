import type { SKRSContext2D } from '@napi-rs/canvas';
import type { PersonaLook } from '../../../lib/media/Persona.js';
import { shade } from '../colour.js';
import { RIG } from '../geometry.js';
import type { Viseme } from '../pose.js';

const { cx, cy } = RIG.mouth;
const INSIDE = '#4a1620';
const TEETH = '#fbf8f2';
const TONGUE = '#d9606d';

/** How each open mouth shape is built: the opening's size and what shows inside. */
interface OpenShape {
  width: number;
  height: number;
  /** Pulls the corners up (smile) or down; reference units. */
  cornerLift: number;
  /** 0 = lens/almond opening, 1 = round. */
  roundness: number;
  upperTeeth: number;
  lowerTeeth: number;
  tongue: 'none' | 'low' | 'tip';
  lipWidth: number;
}

const OPEN_SHAPES: Record<Exclude<Viseme, 'sil' | 'MBP' | 'FV'>, OpenShape> = {
  AA: {
    width: 38,
    height: 26,
    cornerLift: 1,
    roundness: 0.3,
    upperTeeth: 5,
    lowerTeeth: 0,
    tongue: 'low',
    lipWidth: 3.2,
  },
  EE: {
    width: 46,
    height: 11,
    cornerLift: 3.5,
    roundness: 0,
    upperTeeth: 5,
    lowerTeeth: 3,
    tongue: 'none',
    lipWidth: 2.6,
  },
  OO: {
    width: 18,
    height: 19,
    cornerLift: 0,
    roundness: 1,
    upperTeeth: 0,
    lowerTeeth: 0,
    tongue: 'none',
    lipWidth: 5.5,
  },
  CONS: {
    width: 32,
    height: 13,
    cornerLift: 1,
    roundness: 0.15,
    upperTeeth: 4,
    lowerTeeth: 2.5,
    tongue: 'low',
    lipWidth: 3,
  },
  SZ: {
    width: 30,
    height: 7,
    cornerLift: 1,
    roundness: 0,
    upperTeeth: 4,
    lowerTeeth: 4,
    tongue: 'none',
    lipWidth: 2.6,
  },
  SH: {
    width: 25,
    height: 15,
    cornerLift: -1,
    roundness: 0.7,
    upperTeeth: 5,
    lowerTeeth: 4,
    tongue: 'none',
    lipWidth: 4.8,
  },
  TH: {
    width: 30,
    height: 11,
    cornerLift: 1,
    roundness: 0.1,
    upperTeeth: 4,
    lowerTeeth: 0,
    tongue: 'tip',
    lipWidth: 3,
  },
};

/** One mouth sprite per viseme, at full expression. */
export function drawMouth(ctx: SKRSContext2D, look: PersonaLook, viseme: Viseme): void {
  switch (viseme) {
    case 'sil':
      return drawRestMouth(ctx, look.lips);
    case 'MBP':
      return drawPressedLips(ctx, look.lips);
    case 'FV':
      return drawLipUnderTeeth(ctx, look.lips);
    default:
      return drawOpenMouth(ctx, look.lips, OPEN_SHAPES[viseme]);
  }
}

/** Closed, gently smiling. */
function drawRestMouth(ctx: SKRSContext2D, lips: string): void {
  ctx.fillStyle = lips;
  ctx.beginPath();
  ctx.moveTo(cx - 15, cy - 2);
  ctx.quadraticCurveTo(cx, cy + 9, cx + 15, cy - 2);
  ctx.quadraticCurveTo(cx, cy + 4, cx - 15, cy - 2);
  ctx.fill();
  ctx.strokeStyle = shade(lips, -0.45);
  ctx.lineWidth = 1.8;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(cx - 15, cy - 2);
  ctx.quadraticCurveTo(cx, cy + 5, cx + 15, cy - 2);
  ctx.stroke();
}

/** Lips pressed together and slightly rolled in: flat, wide and thick. */
function drawPressedLips(ctx: SKRSContext2D, lips: string): void {
  ctx.fillStyle = shade(lips, -0.05);
  ctx.beginPath();
  ctx.roundRect(cx - 17, cy - 4, 34, 8, 4);
  ctx.fill();
  ctx.strokeStyle = shade(lips, -0.5);
  ctx.lineWidth = 2.2;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.moveTo(cx - 17, cy);
  ctx.lineTo(cx + 17, cy);
  ctx.stroke();
}

/** Upper teeth resting on the tucked-in lower lip. */
function drawLipUnderTeeth(ctx: SKRSContext2D, lips: string): void {
  ctx.fillStyle = lips;
  ctx.beginPath();
  ctx.moveTo(cx - 16, cy - 3);
  ctx.quadraticCurveTo(cx, cy - 9, cx + 16, cy - 3);
  ctx.quadraticCurveTo(cx, cy - 5, cx - 16, cy - 3);
  ctx.fill();
  ctx.fillStyle = INSIDE;
  ctx.beginPath();
  ctx.roundRect(cx - 13, cy - 4, 26, 6, 2);
  ctx.fill();
  ctx.fillStyle = TEETH;
  ctx.beginPath();
  ctx.roundRect(cx - 11, cy - 4, 22, 5, 1.5);
  ctx.fill();
  // Lower lip pulled up and in under the teeth.
  ctx.fillStyle = shade(lips, 0.08);
  ctx.beginPath();
  ctx.moveTo(cx - 15, cy + 1);
  ctx.quadraticCurveTo(cx, cy - 1, cx + 15, cy + 1);
  ctx.quadraticCurveTo(cx, cy + 9, cx - 15, cy + 1);
  ctx.fill();
}

function openingPath(ctx: SKRSContext2D, s: OpenShape): void {
  const hw = s.width / 2;
  const hh = s.height / 2;
  const lift = s.cornerLift;
  if (s.roundness >= 1) {
    ctx.beginPath();
    ctx.ellipse(cx, cy, hw, hh, 0, 0, Math.PI * 2);
    return;
  }
  // Upper and lower curves meet at the corners; roundness pushes control points outward.
  const k = 0.55 + s.roundness * 0.45;
  ctx.beginPath();
  ctx.moveTo(cx - hw, cy - lift);
  ctx.bezierCurveTo(cx - hw * k, cy - hh * 1.2, cx + hw * k, cy - hh * 1.2, cx + hw, cy - lift);
  ctx.bezierCurveTo(cx + hw * k, cy + hh * 1.5, cx - hw * k, cy + hh * 1.5, cx - hw, cy - lift);
  ctx.closePath();
}

function drawOpenMouth(ctx: SKRSContext2D, lips: string, s: OpenShape): void {
  // Lips: the opening stroked wide in lip colour, then the dark inside.
  ctx.strokeStyle = lips;
  ctx.lineWidth = s.lipWidth * 2;
  ctx.lineJoin = 'round';
  openingPath(ctx, s);
  ctx.stroke();

  ctx.save();
  openingPath(ctx, s);
  ctx.fillStyle = INSIDE;
  ctx.fill();
  ctx.clip();
  const top = cy - s.height / 2 - 2;
  const bottom = cy + s.height / 2 + 2;
  if (s.tongue === 'low') {
    ctx.fillStyle = TONGUE;
    ctx.beginPath();
    ctx.ellipse(cx, bottom + 1, s.width * 0.32, s.height * 0.38, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  if (s.upperTeeth > 0) {
    ctx.fillStyle = TEETH;
    ctx.fillRect(cx - s.width / 2, top, s.width, s.upperTeeth + 2);
  }
  if (s.lowerTeeth > 0) {
    ctx.fillStyle = TEETH;
    ctx.fillRect(cx - s.width / 2, bottom - s.lowerTeeth - 2, s.width, s.lowerTeeth + 2);
  }
  if (s.tongue === 'tip') {
    ctx.fillStyle = TONGUE;
    ctx.beginPath();
    ctx.ellipse(cx, cy + 2, s.width * 0.24, s.height * 0.42, 0, 0, Math.PI * 2);
    ctx.fill();
  }
  ctx.restore();

  // Darker line where the lips meet the opening keeps the shape readable when scaled.
  ctx.strokeStyle = shade(lips, -0.4);
  ctx.lineWidth = 1;
  openingPath(ctx, s);
  ctx.stroke();
}
