import { CodedError } from '../../lib/errors/CodedError.js';

/** TTS errors; `code` is stable and reaches API clients. */
export class TtsError extends CodedError {}

export class InvalidTextError extends TtsError {}

export class UnknownVoiceError extends TtsError {
  constructor(voice: string) {
    super('VOICE_UNKNOWN', `the TTS engine has no voice "${voice}"`);
  }
}

export class TtsAbortedError extends TtsError {
  constructor() {
    super('TTS_ABORTED', 'synthesis was cancelled');
  }
}
