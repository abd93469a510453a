import { createCanvas } from '@napi-rs/canvas';
import { CodedError } from '../../lib/errors/CodedError.js';
import type { Persona } from '../../lib/media/Persona.js';
import type { Viseme } from './pose.js';
import { RigAtlas, type RigSprites } from './RigAtlas.js';
import type { Sprite } from './Sprite.js';

const MAGIC = 'OAR1';

/** Bumped when the rig's drawing changes, so prewarmed rigs of older drawings are not reused. */
export const RENDERER_VERSION = 1;

interface SpriteHeader {
  part: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export class AtlasBundleError extends CodedError {
  constructor(message: string) {
    super('RIG_BUNDLE_CORRUPT', message);
  }
}

/**
 * A prewarmed rig as bytes: each sprite's straight-alpha RGBA pixels, so loading is a copy
 * per sprite rather than painting or PNG decoding. Layout: magic, u32 header length, JSON
 * header (size, sprite placements), then the pixels in header order.
 */
export function encodeAtlas(atlas: RigAtlas): Buffer {
  const entries = spriteEntries(atlas.sprites);
  const headers: SpriteHeader[] = entries.map(([part, s]) => ({ part, x: s.x, y: s.y, width: s.canvas.width, height: s.canvas.height }));
  const header = Buffer.from(JSON.stringify({ width: atlas.width, height: atlas.height, sprites: headers }));
  const pixels = entries.map(([, s]) => Buffer.from(s.canvas.getContext('2d').getImageData(0, 0, s.canvas.width, s.canvas.height).data.buffer));
  const prefix = Buffer.alloc(8);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(header.length, 4);
  return Buffer.concat([prefix, header, ...pixels]);
}

export function decodeAtlas(persona: Persona, bytes: Buffer): RigAtlas {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new AtlasBundleError('not a rig bundle');
  const headerLength = bytes.readUInt32LE(4);
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as { width: number; height: number; sprites: SpriteHeader[] };
  let offset = 8 + headerLength;
  const parts = new Map<string, Sprite>();
  for (const h of header.sprites) {
    const length = h.width * h.height * 4;
    if (offset + length > bytes.length) throw new AtlasBundleError('truncated rig bundle');
    const canvas = createCanvas(h.width, h.height);
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(h.width, h.height);
    image.data.set(bytes.subarray(offset, offset + length));
    ctx.putImageData(image, 0, 0);
    parts.set(h.part, { canvas, x: h.x, y: h.y });
    offset += length;
  }
  return new RigAtlas(persona, { width: header.width, height: header.height, sprites: spritesFrom(parts) });
}

function spriteEntries(sprites: RigSprites): Array<[string, Sprite]> {
  return [
    ['background', sprites.background],
    ['body', sprites.body],
    ['head', sprites.head],
    ['brows', sprites.brows],
    ...sprites.eyes.map((s, i): [string, Sprite] => [`eyes.${i}`, s]),
    ...Object.entries(sprites.mouths).map(([v, s]): [string, Sprite] => [`mouth.${v}`, s]),
  ];
}

function spritesFrom(parts: Map<string, Sprite>): RigSprites {
  const take = (part: string): Sprite => {
    const sprite = parts.get(part);
    if (!sprite) throw new AtlasBundleError(`rig bundle has no ${part} sprite`);
    return sprite;
  };
  const eyes = [...parts.keys()].filter((k) => k.startsWith('eyes.')).map(take);
  const mouths = Object.fromEntries([...parts.keys()].filter((k) => k.startsWith('mouth.')).map((k) => [k.slice(6), take(k)])) as Record<Viseme, Sprite>;
  return { background: take('background'), body: take('body'), head: take('head'), brows: take('brows'), eyes, mouths };
}
