import { CodedError } from '../../lib/errors/CodedError.js';
import type { Utterance } from './Utterance.js';

const MAGIC = 'OAU1';

/**
 * An utterance as bytes: the spliceable form of a cached phrase or clip (48 kHz PCM plus
 * its viseme and word tracks). Layout: magic, u32 header length, JSON header, PCM (LE).
 */
export function encodeUtterance(utterance: Utterance): Buffer {
  const header = Buffer.from(JSON.stringify({ visemes: utterance.visemes, words: utterance.words, samples: utterance.pcm.length }));
  const out = Buffer.alloc(8 + header.length + utterance.pcm.length * 2);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  const pcmOffset = 8 + header.length;
  for (let i = 0; i < utterance.pcm.length; i++) out.writeInt16LE(utterance.pcm[i]!, pcmOffset + i * 2);
  return out;
}

export class UtteranceFormatError extends CodedError {
  constructor(message: string) {
    super('UTTERANCE_CORRUPT', message);
  }
}

export function decodeUtterance(bytes: Buffer): Utterance {
  if (bytes.length < 8 || bytes.toString('latin1', 0, 4) !== MAGIC) throw new UtteranceFormatError('not an utterance file');
  const headerLength = bytes.readUInt32LE(4);
  if (8 + headerLength > bytes.length) throw new UtteranceFormatError('truncated header');
  const header = JSON.parse(bytes.toString('utf8', 8, 8 + headerLength)) as Omit<Utterance, 'pcm'> & { samples: number };
  const pcmOffset = 8 + headerLength;
  if (bytes.length - pcmOffset !== header.samples * 2) throw new UtteranceFormatError('PCM length does not match the header');
  const pcm = new Int16Array(header.samples);
  for (let i = 0; i < pcm.length; i++) pcm[i] = bytes.readInt16LE(pcmOffset + i * 2);
  return { pcm, visemes: header.visemes, words: header.words };
}

/**
 * Plays `parts` back to back as one utterance; each part's tracks shift by what came before.
 * `textOffsets[i]` moves part i's word positions into the whole text.
 */
export function concatUtterances(parts: readonly Utterance[], textOffsets: readonly number[] = []): Utterance {
  const pcm = new Int16Array(parts.reduce((n, p) => n + p.pcm.length, 0));
  const visemes: Utterance['visemes'] = [];
  const words: Utterance['words'] = [];
  let offset = 0;
  parts.forEach((part, i) => {
    pcm.set(part.pcm, offset);
    // Each part ends on a closing 'sil' key at its own length; the next part's keys take over there.
    for (const key of part.visemes) if (key.sample < part.pcm.length) visemes.push({ ...key, sample: key.sample + offset });
    const textOffset = textOffsets[i] ?? 0;
    for (const word of part.words) words.push({ ...word, sample: word.sample + offset, textPosition: word.textPosition + textOffset });
    offset += part.pcm.length;
  });
  visemes.push({ sample: pcm.length, viseme: 'sil' });
  return { pcm, visemes, words };
}
