import type { Viseme } from '../../renderer/rig/pose.js';
import { Resampler } from '../audio/Resampler.js';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import type { TtsChunk } from '../tts/TtsEngine.js';
import { visemesForPhoneme } from './visemeMap.js';

export interface VisemeKey {
  /** 48 kHz sample where this viseme begins. */
  sample: number;
  viseme: Viseme;
}

export interface WordMark {
  sample: number;
  textPosition: number;
  length: number;
  /** Louder than the utterance's typical word: gets a small emphasis. */
  stressed: boolean;
}

/** One spoken line on the show clock: 48 kHz audio plus its viseme and word timelines. */
export interface Utterance {
  pcm: Int16Array;
  visemes: VisemeKey[];
  words: WordMark[];
}

/**
 * Collects a TTS stream into an utterance at 48 kHz. `onSynthesized` fires when the engine
 * is done, before the viseme and word tracks are built (the animate stage).
 */
export async function buildUtterance(chunks: AsyncIterable<TtsChunk>, onFirstChunk?: () => void, onSynthesized?: () => void): Promise<Utterance> {
  let resampler: Resampler | undefined;
  let ratio = 1;
  const parts: Int16Array[] = [];
  const phonemes: Array<{ sample: number; phoneme: string }> = [];
  const words: Array<{ sample: number; textPosition: number; length: number }> = [];
  for await (const chunk of chunks) {
    if (!resampler) {
      onFirstChunk?.();
      resampler = new Resampler(chunk.sampleRate, AUDIO_SAMPLE_RATE);
      ratio = AUDIO_SAMPLE_RATE / chunk.sampleRate;
    }
    parts.push(resampler.push(chunk.pcm));
    for (const event of chunk.events) {
      const sample = Math.round(event.sample * ratio);
      if (event.type === 'phoneme' && event.phoneme !== undefined) phonemes.push({ sample, phoneme: event.phoneme });
      if (event.type === 'word') words.push({ sample, textPosition: event.textPosition, length: event.length });
    }
  }
  if (resampler) parts.push(resampler.flush());
  onSynthesized?.();
  const pcm = concat(parts);
  return { pcm, visemes: visemeTimeline(phonemes, pcm.length), words: markStress(words, pcm) };
}

function visemeTimeline(phonemes: Array<{ sample: number; phoneme: string }>, totalSamples: number): VisemeKey[] {
  const keys: VisemeKey[] = [];
  phonemes.forEach((p, i) => {
    const end = phonemes[i + 1]?.sample ?? totalSamples;
    const visemes = visemesForPhoneme(p.phoneme);
    visemes.forEach((viseme, k) => keys.push({ sample: Math.round(p.sample + ((end - p.sample) * k) / visemes.length), viseme }));
  });
  keys.push({ sample: totalSamples, viseme: 'sil' });
  return keys;
}

function markStress(words: Array<{ sample: number; textPosition: number; length: number }>, pcm: Int16Array): WordMark[] {
  const energy = words.map((w, i) => rms(pcm, w.sample, words[i + 1]?.sample ?? pcm.length));
  const sorted = [...energy].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return words.map((w, i) => ({ ...w, stressed: energy[i]! > median * 1.15 }));
}

function rms(pcm: Int16Array, from: number, to: number): number {
  let sum = 0;
  const end = Math.min(to, pcm.length);
  for (let i = from; i < end; i++) sum += pcm[i]! * pcm[i]!;
  return end > from ? Math.sqrt(sum / (end - from)) : 0;
}

function concat(parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
