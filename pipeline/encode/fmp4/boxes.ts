/** ISO BMFF box walking: just what the fMP4 reader needs, no general-purpose parser. */
export interface Box {
  type: string;
  /** The box's payload (after the header), sharing memory with the input. */
  body: Buffer;
}

/** Boxes whose payload is only child boxes. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'mvex', 'moof', 'traf']);

/** Header size and total size of the box at `offset`, or undefined when `data` holds less than its header. */
export function boxHeader(data: Buffer, offset: number): { type: string; headerSize: number; size: number } | undefined {
  if (data.length - offset < 8) return undefined;
  const size32 = data.readUInt32BE(offset);
  const type = data.toString('latin1', offset + 4, offset + 8);
  if (size32 !== 1) return { type, headerSize: 8, size: size32 };
  if (data.length - offset < 16) return undefined;
  return { type, headerSize: 16, size: Number(data.readBigUInt64BE(offset + 8)) };
}

export function* children(body: Buffer): Generator<Box> {
  let offset = 0;
  while (offset + 8 <= body.length) {
    const header = boxHeader(body, offset);
    if (!header || header.size < header.headerSize || offset + header.size > body.length) return;
    yield { type: header.type, body: body.subarray(offset + header.headerSize, offset + header.size) };
    offset += header.size;
  }
}

/** The first box on `path` below `body`, e.g. `['trak', 'mdia', 'mdhd']`. */
export function find(body: Buffer, path: string[]): Box | undefined {
  for (const box of children(body)) {
    if (box.type !== path[0]) continue;
    if (path.length === 1) return box;
    if (CONTAINERS.has(box.type)) {
      const found = find(box.body, path.slice(1));
      if (found) return found;
    }
  }
  return undefined;
}

export function findAll(body: Buffer, type: string): Box[] {
  return [...children(body)].filter((box) => box.type === type);
}
