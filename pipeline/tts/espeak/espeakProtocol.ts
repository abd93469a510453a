import type { TtsEvent } from '../TtsEngine.js';

export interface SynthRequest {
  type: 'synth';
  id: number;
  text: string;
  voiceName: string;
  rateWpm: number;
  pitch: number;
}

export type WorkerReply =
  | { type: 'ready'; sampleRate: number }
  | { type: 'chunk'; id: number; pcm: Int16Array; startSample: number; events: TtsEvent[] }
  | { type: 'done'; id: number; totalSamples: number; cancelled: boolean }
  | { type: 'error'; id: number; code: string; message: string };
