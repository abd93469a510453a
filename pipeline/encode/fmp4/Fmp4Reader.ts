import { EnhancedEventEmitter } from '../../../lib/EnhancedEventEmitter.js';
import { boxHeader, find, findAll, type Box } from './boxes.js';

/** A parsed init segment: what each track is and its timescale. */
export interface Fmp4Init {
  data: Buffer;
  codecs: string;
  width: number;
  height: number;
  tracks: Map<number, TrackInfo>;
}

interface TrackInfo {
  kind: 'video' | 'audio' | 'other';
  timescale: number;
  defaultSampleDuration: number;
  defaultSampleFlags: number;
}

/** One moof + mdat, with the video track's timing in seconds of its own timeline. */
export interface Fmp4Fragment {
  data: Buffer;
  startS: number;
  durationS: number;
  independent: boolean;
}

export type Fmp4ReaderEvents = {
  init: [init: Fmp4Init];
  fragment: [fragment: Fmp4Fragment];
  error: [error: Error];
};

/** Past this a box is taken as corruption, not media: a 200 ms fragment is tens of kB. */
const MAX_BOX_BYTES = 32 * 1024 * 1024;
const SAMPLE_IS_NON_SYNC = 0x10000;

/**
 * Splits ffmpeg's fragmented MP4 byte stream (empty_moov + default_base_moof) into its init
 * segment and fragments, reading each fragment's video timing from tfdt/trun so sinks can
 * place it on the show clock without parsing media.
 */
export class Fmp4Reader extends EnhancedEventEmitter<Fmp4ReaderEvents> {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private header: Buffer[] = [];
  private init: Fmp4Init | undefined;
  private moof: Buffer | undefined;
  private failed = false;

  push(chunk: Buffer): void {
    if (this.failed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    let data = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let offset = 0;
    for (;;) {
      const header = boxHeader(data, offset);
      if (!header) break;
      if (header.size < header.headerSize || header.size > MAX_BOX_BYTES) return this.fail(new Error(`fMP4 box ${JSON.stringify(header.type)} has an impossible size ${header.size}`));
      if (data.length - offset < header.size) break;
      const box = data.subarray(offset, offset + header.size);
      offset += header.size;
      this.onBox(header.type, box, header.headerSize);
      if (this.failed) return;
    }
    data = data.subarray(offset);
    this.pending = data.length ? [Buffer.from(data)] : [];
    this.pendingBytes = data.length;
  }

  private onBox(type: string, box: Buffer, headerSize: number): void {
    if (type === 'ftyp') this.header = [box];
    else if (type === 'moov') {
      this.header.push(box);
      try {
        this.init = parseInit(Buffer.concat(this.header), box.subarray(headerSize));
      } catch (error) {
        return this.fail(error as Error);
      }
      this.safeEmit('init', this.init);
    } else if (type === 'moof') this.moof = box;
    else if (type === 'mdat' && this.moof && this.init) {
      const moof = this.moof;
      this.moof = undefined;
      const timing = fragmentTiming(moof.subarray(8), this.init.tracks);
      if (timing) this.safeEmit('fragment', { data: Buffer.concat([moof, box]), ...timing });
    }
  }

  private fail(error: Error): void {
    this.failed = true;
    this.pending = [];
    this.safeEmit('error', error);
  }
}

function parseInit(data: Buffer, moov: Buffer): Fmp4Init {
  const tracks = new Map<number, TrackInfo>();
  const codecs: string[] = [];
  let width = 0;
  let height = 0;
  const trexes = new Map<number, Buffer>();
  const mvex = find(moov, ['mvex']);
  for (const trex of mvex ? findAll(mvex.body, 'trex') : []) trexes.set(trex.body.readUInt32BE(4), trex.body);
  for (const trak of findAll(moov, 'trak')) {
    const tkhd = requireBox(trak, ['tkhd']);
    const trackId = tkhd.body.readUInt32BE(tkhd.body[0] === 1 ? 20 : 12);
    const mdhd = requireBox(trak, ['mdia', 'mdhd']);
    const timescale = mdhd.body.readUInt32BE(mdhd.body[0] === 1 ? 20 : 12);
    const handler = requireBox(trak, ['mdia', 'hdlr']).body.toString('latin1', 8, 12);
    const stsd = requireBox(trak, ['mdia', 'minf', 'stbl', 'stsd']).body;
    // stsd: version/flags, entry count, then the first sample entry box.
    const entryType = stsd.toString('latin1', 12, 16);
    const entry = stsd.subarray(16);
    if (handler === 'vide') {
      width = entry.readUInt16BE(24);
      height = entry.readUInt16BE(26);
      const avcC = entryType === 'avc1' ? find(entry.subarray(78), ['avcC']) : undefined;
      codecs.push(avcC ? `avc1.${avcC.body.subarray(1, 4).toString('hex')}` : entryType);
    } else if (handler === 'soun') {
      // ffmpeg's native aac encoder writes AAC-LC, object type 2.
      codecs.push(entryType === 'mp4a' ? 'mp4a.40.2' : entryType);
    }
    const trex = trexes.get(trackId);
    tracks.set(trackId, {
      kind: handler === 'vide' ? 'video' : handler === 'soun' ? 'audio' : 'other',
      timescale,
      defaultSampleDuration: trex ? trex.readUInt32BE(12) : 0,
      defaultSampleFlags: trex ? trex.readUInt32BE(20) : 0,
    });
  }
  if (![...tracks.values()].some((track) => track.kind === 'video')) throw new Error('the fMP4 init segment has no video track');
  return { data, codecs: codecs.join(','), width, height, tracks };
}

function requireBox(parent: Box, path: string[]): Box {
  const box = find(parent.body, path);
  if (!box) throw new Error(`the fMP4 init segment has no ${path.join('/')} box`);
  return box;
}

/** The video track's start, duration and first-sample sync flag in this moof. */
function fragmentTiming(moof: Buffer, tracks: Map<number, TrackInfo>): Omit<Fmp4Fragment, 'data'> | undefined {
  for (const traf of findAll(moof, 'traf')) {
    const tfhd = find(traf.body, ['tfhd'])?.body;
    const track = tfhd && tracks.get(tfhd.readUInt32BE(4));
    if (!tfhd || track?.kind !== 'video') continue;
    const tfhdFlags = tfhd.readUInt32BE(0) & 0xffffff;
    let at = 8;
    if (tfhdFlags & 0x01) at += 8;
    if (tfhdFlags & 0x02) at += 4;
    const defaultDuration = tfhdFlags & 0x08 ? tfhd.readUInt32BE(at) : track.defaultSampleDuration;
    if (tfhdFlags & 0x08) at += 4;
    if (tfhdFlags & 0x10) at += 4;
    const defaultFlags = tfhdFlags & 0x20 ? tfhd.readUInt32BE(at) : track.defaultSampleFlags;
    const tfdt = find(traf.body, ['tfdt'])?.body;
    const baseTime = !tfdt ? 0 : tfdt[0] === 1 ? Number(tfdt.readBigUInt64BE(4)) : tfdt.readUInt32BE(4);
    let duration = 0;
    let firstFlags: number | undefined;
    for (const trun of findAll(traf.body, 'trun')) {
      const sums = trunDurations(trun.body, defaultDuration, defaultFlags);
      duration += sums.duration;
      firstFlags ??= sums.firstFlags;
    }
    return { startS: baseTime / track.timescale, durationS: duration / track.timescale, independent: ((firstFlags ?? defaultFlags) & SAMPLE_IS_NON_SYNC) === 0 };
  }
  return undefined;
}

function trunDurations(trun: Buffer, defaultDuration: number, defaultFlags: number): { duration: number; firstFlags: number | undefined } {
  const flags = trun.readUInt32BE(0) & 0xffffff;
  const count = trun.readUInt32BE(4);
  let at = 8;
  if (flags & 0x01) at += 4;
  let firstFlags: number | undefined;
  if (flags & 0x04) {
    firstFlags = trun.readUInt32BE(at);
    at += 4;
  }
  const perSample = [0x100, 0x200, 0x400, 0x800].filter((bit) => flags & bit).length * 4;
  let duration = 0;
  for (let i = 0; i < count && at + perSample <= trun.length; i++) {
    let field = at;
    duration += flags & 0x100 ? trun.readUInt32BE(field) : defaultDuration;
    if (flags & 0x100) field += 4;
    if (flags & 0x200) field += 4;
    if (i === 0 && firstFlags === undefined) firstFlags = flags & 0x400 ? trun.readUInt32BE(field) : defaultFlags;
    at += perSample;
  }
  return { duration, firstFlags };
}
