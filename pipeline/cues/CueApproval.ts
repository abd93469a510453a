import { CodedError } from '../../lib/errors/CodedError.js';
import { validateSpeechText } from '../tts/text.js';
import type { CueFlight } from './CueFlight.js';
import type { CueRegistry } from './CueRegistry.js';
import type { CueScript } from './CueThinking.js';

/** The host's answer: the text to speak (as generated or edited), or null to drop it. */
export type ApprovalDecision = { text: string } | null;

/**
 * The host's say over generated text. In approval mode a prompt cue's whole script waits
 * here until the host approves it (as it is or edited) or rejects it; an interrupt rejects
 * it too. The host's own words (`say` cues) never come here.
 */
export class CueApproval {
  enabled = false;
  private readonly waiting = new Map<CueFlight, (decision: ApprovalDecision) => void>();

  constructor(private readonly registry: CueRegistry) {}

  /** The lines to speak: the script's as they are written, or in approval mode what the host decides. */
  async review(flight: CueFlight, script: CueScript): Promise<CueScript['lines']> {
    if (!this.enabled) return script.lines;
    const generated: string[] = [];
    for await (const line of script.lines) generated.push(line);
    await script.written;
    // Refused or interrupted while it was written: nothing to ask the host about.
    if (generated.length === 0 || flight.finished) return [];
    const decision = await this.ask(flight, generated.join(' '));
    if (!decision) {
      this.registry.finish(flight, { state: 'refused', reason: 'rejected by the host' });
      return [];
    }
    this.registry.update(flight, { state: 'queued', text: decision.text });
    return [decision.text];
  }

  /** Approves a generated line (optionally edited) or, with `null`, rejects it. */
  decide(cueId: string, decision: { text: unknown } | null): void {
    const flight = this.registry.flight(cueId);
    const settle = flight && this.waiting.get(flight);
    if (!flight || !settle) throw new CodedError('CUE_NOT_AWAITING_APPROVAL', `cue ${cueId} is not waiting for approval`);
    // Checked before the line leaves the queue: bad text leaves it waiting for a good one.
    const approved = decision && { text: validateSpeechText(decision.text) };
    this.waiting.delete(flight);
    settle(approved);
  }

  private ask(flight: CueFlight, text: string): Promise<ApprovalDecision> {
    return new Promise((resolve) => {
      if (flight.signal.aborted) return resolve(null);
      this.waiting.set(flight, resolve);
      flight.signal.addEventListener('abort', () => {
        if (this.waiting.delete(flight)) resolve(null);
      }, { once: true });
      this.registry.update(flight, { state: 'awaiting_approval', text });
    });
  }
}
