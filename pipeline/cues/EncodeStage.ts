import type { StageTrace } from '../brain/StageTrace.js';

/** Opus packets of digital silence are a few bytes; speech at 64 kb/s makes far larger ones. */
const SPEECH_PACKET_BYTES = 60;

/**
 * The encode stage of the cues that went on air: it ends, for all of them, when the first
 * speech-sized audio packet reaches the show's SFU ingest.
 */
export class EncodeStage {
  private waiting: Array<{ trace: StageTrace; startMs: number }> = [];

  /** A cue's first part is on the presenter: its audio is on its way to the encoder. */
  begin(trace: StageTrace): void {
    this.waiting.push({ trace, startMs: trace.now() });
  }

  audioReachedSfu(packetBytes: number): void {
    if (packetBytes <= SPEECH_PACKET_BYTES || this.waiting.length === 0) return;
    for (const { trace, startMs } of this.waiting.splice(0)) trace.end('encode', startMs, 'first speech RTP at the SFU ingest');
  }

  /** After an interrupt: what was on air never reaches the SFU as speech. */
  clear(): void {
    this.waiting = [];
  }
}
