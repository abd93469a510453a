export type CueState = 'queued' | 'speaking' | 'done' | 'interrupted' | 'failed';

export interface CueTimings {
  /** Wall clock (epoch ms) when the cue arrived. */
  receivedAt: number;
  /** Milliseconds after arrival. */
  ttsFirstChunkMs?: number;
  ttsDoneMs?: number;
  /** The utterance was ready (from TTS, the cache, or both). */
  speechReadyMs?: number;
  speakingMs?: number;
  endedMs?: number;
}

export interface Cue {
  id: string;
  showId: string;
  text: string;
  personaId: string;
  state: CueState;
  /** Why it failed or was interrupted. */
  reason?: string;
  /** Stream time of the first audio sample of this cue. */
  streamTimeMs?: number;
  endStreamTimeMs?: number;
  durationMs?: number;
  /** Where the speech came from: the batch lane's cache (whole or some sentences) or live TTS. */
  speechSource?: 'cache' | 'partial-cache' | 'tts';
  timings: CueTimings;
}

export const FINAL_STATES: readonly CueState[] = ['done', 'interrupted', 'failed'];
