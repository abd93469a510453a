import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { getPersona } from '../../pipeline/persona/index.js';
import {
  Compositor,
  REST_POSE,
  RigAtlas,
  VISEMES,
  presenterLowerThird,
  type Rect,
  type RigPose,
} from '../../renderer/rig/index.js';

const W = 640;
const H = 360;
const MOUTH: Rect = { x: 290, y: 176, width: 60, height: 40 };
const EYES: Rect = { x: 280, y: 136, width: 80, height: 28 };

interface Frame {
  rgba: Buffer;
  width: number;
}

function pose(p: Partial<RigPose>): RigPose {
  return { ...REST_POSE, ...p };
}

/** Pixels in `r` whose largest channel difference exceeds `threshold`. */
function changedPixels(a: Frame, b: Frame, r: Rect, threshold = 40, shiftX = 0): number {
  let count = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * a.width + x) * 4;
      const j = (y * b.width + x + shiftX) * 4;
      const d = Math.max(
        Math.abs((a.rgba[i] as number) - (b.rgba[j] as number)),
        Math.abs((a.rgba[i + 1] as number) - (b.rgba[j + 1] as number)),
        Math.abs((a.rgba[i + 2] as number) - (b.rgba[j + 2] as number)),
      );
      if (d > threshold) count++;
    }
  }
  return count;
}

function countPixels(
  f: Frame,
  r: Rect,
  test: (r: number, g: number, b: number) => boolean,
): number {
  let count = 0;
  for (let y = r.y; y < r.y + r.height; y++) {
    for (let x = r.x; x < r.x + r.width; x++) {
      const i = (y * f.width + x) * 4;
      if (test(f.rgba[i] as number, f.rgba[i + 1] as number, f.rgba[i + 2] as number)) count++;
    }
  }
  return count;
}

const isWhite = (r: number, g: number, b: number) => r > 235 && g > 235 && b > 235;
const isDark = (r: number, g: number, b: number) => r + g + b < 110;
const isMouthInside = (r: number, g: number, b: number) => r < 110 && g < 50 && b < 60;
const isRed = (r: number, g: number, b: number) => r > 200 && g < 60 && b < 70;

describe('Compositor', () => {
  let compositor: Compositor;
  const render = (p: Partial<RigPose> = {}): Frame => ({
    rgba: Buffer.from(compositor.renderFrame(pose(p))),
    width: compositor.width,
  });

  before(async () => {
    compositor = new Compositor(await RigAtlas.create(getPersona('ava')));
  });

  it('renders opaque RGBA frames of the atlas size, each its own buffer', () => {
    const first = compositor.renderFrame(REST_POSE);
    assert.equal(first.length, W * H * 4);
    for (let i = 3; i < first.length; i += 4 * 97) assert.equal(first[i], 255);
    const copy = Buffer.from(first);
    compositor.renderFrame(pose({ viseme: 'AA', mouthOpen: 1, headX: 8 }));
    assert.ok(first.equals(copy), 'a later frame must not overwrite an earlier buffer');
  });

  it('draws a clearly different mouth for every viseme', () => {
    const frames = VISEMES.map((viseme) => render({ viseme, mouthOpen: 1 }));
    let weakest = { pair: '', pixels: Infinity };
    for (let i = 0; i < VISEMES.length; i++) {
      for (let j = i + 1; j < VISEMES.length; j++) {
        const pixels = changedPixels(frames[i] as Frame, frames[j] as Frame, MOUTH);
        if (pixels < weakest.pixels) weakest = { pair: `${VISEMES[i]}/${VISEMES[j]}`, pixels };
      }
    }
    assert.ok(
      weakest.pixels >= 100,
      `visemes ${weakest.pair} differ in only ${weakest.pixels} pixels`,
    );
    // Nothing outside the mouth changes with the viseme.
    assert.equal(changedPixels(frames[0] as Frame, frames[7] as Frame, EYES, 0), 0);
  });

  it('opens the mouth further as mouthOpen rises', () => {
    const dark = (open: number) =>
      countPixels(render({ viseme: 'AA', mouthOpen: open }), MOUTH, isMouthInside);
    const [closed, half, full] = [dark(0), dark(0.5), dark(1)];
    assert.ok(closed < half && half < full, `dark mouth pixels ${closed} < ${half} < ${full}`);
  });

  it('closes the eyes on a blink', () => {
    const open = render({ eyeOpen: 1 });
    const closed = render({ eyeOpen: 0 });
    const whitesOpen = countPixels(open, EYES, isWhite);
    const whitesClosed = countPixels(closed, EYES, isWhite);
    assert.ok(whitesOpen > 100, `open eyes show ${whitesOpen} white pixels`);
    assert.equal(whitesClosed, 0);
    // Pupils go; only the thin lash line stays dark.
    const darkOpen = countPixels(open, EYES, isDark);
    const darkClosed = countPixels(closed, EYES, isDark);
    assert.ok(darkClosed < darkOpen / 2, `dark pixels ${darkOpen} -> ${darkClosed}`);
    const half = countPixels(render({ eyeOpen: 0.5 }), EYES, isWhite);
    assert.ok(half > whitesClosed && half < whitesOpen, `half-open whites ${half}`);
  });

  it('moves the head by headX/headY', () => {
    const rest = render();
    const moved = render({ headX: 10 });
    assert.ok(changedPixels(rest, moved, EYES) > 100, 'eyes moved away from rest');
    // The moved eyes are the rest eyes, 10 px to the right.
    assert.equal(changedPixels(rest, moved, EYES, 40, 10), 0);
    const down = render({ headY: 6 });
    assert.ok(changedPixels(rest, down, MOUTH) > 20);
  });

  it('nods and lifts the body with emphasis and breath', () => {
    const rest = render();
    assert.ok(changedPixels(rest, render({ emphasis: 1 }), EYES) > 20);
    assert.ok(
      changedPixels(rest, render({ breath: 1 }), { x: 160, y: 250, width: 320, height: 100 }) > 20,
    );
  });

  it('tolerates non-finite pose values', () => {
    const frame = compositor.renderFrame(
      pose({ headX: Number.NaN, mouthOpen: Infinity, eyeOpen: -Infinity }),
    );
    assert.equal(frame.length, W * H * 4);
  });

  it('burns in the lower third at the bottom, outside the face safe area', () => {
    const plain = render();
    compositor.setLowerThird(presenterLowerThird(compositor.atlas.persona));
    const titled = render();
    const bottomLeft: Rect = { x: 0, y: 280, width: 320, height: 60 };
    assert.ok(changedPixels(plain, titled, bottomLeft) > 2000, 'lower third drawn bottom-left');
    assert.equal(
      changedPixels(plain, titled, { x: 0, y: 0, width: W, height: 270 }, 0),
      0,
      'nothing above it',
    );
    assert.equal(
      changedPixels(plain, titled, compositor.atlas.faceSafeArea, 0),
      0,
      'face stays clear',
    );

    compositor.setLowerThird({ name: 'Someone Else', title: 'Another Show' });
    assert.ok(changedPixels(titled, render(), bottomLeft) > 50, 'new text, new sprite');
    compositor.setLowerThird(null);
    assert.equal(changedPixels(plain, render(), { x: 0, y: 0, width: W, height: H }, 0), 0);
  });

  it('burns in a red LIVE badge top-right', () => {
    const topRight: Rect = { x: 520, y: 0, width: 120, height: 50 };
    assert.equal(countPixels(render(), topRight, isRed), 0);
    compositor.setLiveBadge(true);
    assert.ok(countPixels(render(), topRight, isRed) > 300);
    assert.equal(countPixels(render(), { x: 0, y: 0, width: 520, height: H }, isRed), 0);
    compositor.setLiveBadge(false);
    assert.equal(countPixels(render(), topRight, isRed), 0);
  });

  it('renders at 720p with the same behaviour', async () => {
    const big = new Compositor(
      await RigAtlas.create(getPersona('marcus'), { width: 1280, height: 720 }),
    );
    const frame = (p: Partial<RigPose>): Frame => ({
      rgba: Buffer.from(big.renderFrame(pose(p))),
      width: 1280,
    });
    const aa = frame({ viseme: 'AA', mouthOpen: 1 });
    assert.equal(aa.rgba.length, 1280 * 720 * 4);
    const mouth720: Rect = {
      x: MOUTH.x * 2,
      y: MOUTH.y * 2,
      width: MOUTH.width * 2,
      height: MOUTH.height * 2,
    };
    assert.ok(changedPixels(aa, frame({ viseme: 'OO', mouthOpen: 1 }), mouth720) > 160);
    const eyes720: Rect = {
      x: EYES.x * 2,
      y: EYES.y * 2,
      width: EYES.width * 2,
      height: EYES.height * 2,
    };
    assert.equal(countPixels(frame({ eyeOpen: 0 }), eyes720, isWhite), 0);
  });

  it('makes the shipped personas look different', async () => {
    const frames: Frame[] = [];
    for (const id of ['ava', 'marcus', 'lucia']) {
      const c = new Compositor(await RigAtlas.create(getPersona(id)));
      frames.push({ rgba: Buffer.from(c.renderFrame(REST_POSE)), width: W });
    }
    const all: Rect = { x: 0, y: 0, width: W, height: H };
    for (let i = 0; i < frames.length; i++) {
      for (let j = i + 1; j < frames.length; j++) {
        assert.ok(changedPixels(frames[i] as Frame, frames[j] as Frame, all) > W * H * 0.3);
      }
    }
  });
});
