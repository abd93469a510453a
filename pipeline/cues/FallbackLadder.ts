import type { PresenterSource } from '../lanes/live/PresenterSource.js';
import type { CueFlight } from './CueFlight.js';
import type { LineSpeech, SpeechAssembly } from './SpeechAssembly.js';

/** Long enough to read the line. */
const CAPTION_MS_PER_CHAR = 60;

/**
 * The last rung for speech: a line that cannot be spoken (TTS failed or passed its hard
 * limit) is still said, as a caption in the presenter's lower third, and the trace records
 * the step down. An aborted cue is not captioned: its abort goes on to the caller.
 */
export class FallbackLadder {
  constructor(
    private readonly speech: SpeechAssembly,
    private readonly presenter: PresenterSource,
  ) {}

  /** The line's speech, or undefined when it went out as a text overlay instead. */
  async speak(flight: CueFlight, line: string): Promise<LineSpeech | undefined> {
    try {
      return await this.speech.assemble(flight, line);
    } catch (error) {
      if (flight.signal.aborted) throw error;
      const { code, message } = error as Error & { code?: string };
      flight.trace.fallback('tts', 'text-overlay', code ?? message);
      this.presenter.caption(line, line.length * CAPTION_MS_PER_CHAR);
      flight.captioned++;
      return undefined;
    }
  }
}
