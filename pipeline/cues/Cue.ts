export type CueState = 'queued' | 'awaiting_approval' | 'speaking' | 'done' | 'interrupted' | 'failed' | 'refused';

/** `say`: the host's own words, spoken as they are. `prompt`: intent → script → speech. */
export type CueKind = 'say' | 'prompt';

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

/** A word the script marked: when the presenter says it, chosen viewers see `overlay`. */
export interface CueOffer {
  word: string;
  overlay: string;
  /** Stream time at which the word is spoken, once its line is on air. */
  streamTimeMs?: number;
}

export interface Cue {
  id: string;
  showId: string;
  kind: CueKind;
  /** What is (or will be) spoken; for a prompt, filled in as the script is written. */
  text: string;
  /** The host's prompt (prompt cues). */
  prompt?: string;
  intent?: { intent: string; confidence: number; version: string };
  /** How the script was written: its path, fallback and audit records (prompt cues). */
  script?: { path: string; fallback: string; fallbackReason?: string; audits: unknown[] };
  traceId: string;
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
  offer?: CueOffer;
  /**
   * A viewer's question answered from the show's facts (docs/knowledge.md): `abstained` when
   * none matched and the presenter says it does not know, so the host can follow up. Set when
   * the cue is made; `strayed` counts LLM sentences held back for leaving the facts.
   */
  answer?: { status: 'answered' | 'abstained'; facts: string[]; strayed: number };
  timings: CueTimings;
}

export const FINAL_STATES: readonly CueState[] = ['done', 'interrupted', 'failed', 'refused'];

/** How a cue ends when the host interrupts it, on the presenter or before it got there. */
export const INTERRUPTED: Readonly<Pick<Cue, 'state' | 'reason'>> = { state: 'interrupted', reason: 'interrupted by the host' };
