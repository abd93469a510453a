import type { CueFlight } from './CueFlight.js';

/**
 * One utterance of a cue on the presenter: a prompt's sentences go on air as parts, back to
 * back. The presenter hands the part back in its speech events, which is how they find their cue.
 */
export class CuePart {
  constructor(
    readonly flight: CueFlight,
    /** 0-based, in speaking order. */
    readonly index: number,
    /** Where in this part (48 kHz sample) the cue's offer word becomes audible, if it is in it. */
    readonly offerSample?: number,
  ) {}
}
