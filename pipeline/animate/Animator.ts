import { mulberry32 } from '../../lib/prng.js';
import { type RigPose, type Viseme } from '../../renderer/rig/pose.js';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import type { Utterance, VisemeKey } from './Utterance.js';
import { VISEME_OPENNESS } from './visemeMap.js';

const BLINK_MS = 150;
const BLINK_GAP_MS: [number, number] = [2_000, 6_000];
/** Coarticulation: the mouth blends the visemes around now, leaning slightly ahead. */
const COARTICULATION_TAPS_MS: Array<[number, number]> = [[-40, 1], [-20, 2], [0, 4], [20, 3], [40, 1]];
const ANTICIPATION_MS = 15;
const EMPHASIS_RISE_MS = 60;
const EMPHASIS_FALL_MS = 300;

export interface SpeechPosition {
  utterance: Utterance;
  /** Samples of the utterance already played when this frame starts. */
  sample: number;
}

/**
 * Turns time (and, while speaking, the position in an utterance) into a rig pose. It is a
 * pure function of its inputs and the seed: the same show replays the same animation.
 */
export class Animator {
  private readonly random: () => number;
  private readonly blinks: number[] = [];
  private readonly phase: [number, number, number];

  constructor(readonly seed: number) {
    this.random = mulberry32(seed);
    this.phase = [this.random() * 6.28, this.random() * 6.28, this.random() * 6.28];
  }

  pose(timeMs: number, speech?: SpeechPosition): RigPose {
    const [p1, p2, p3] = this.phase;
    const sway = speech ? 1.4 : 1;
    const mouth = speech ? this.mouth(speech) : { viseme: 'sil' as Viseme, mouthOpen: 0 };
    return {
      ...mouth,
      eyeOpen: this.eyeOpen(timeMs),
      headX: sway * (3 * Math.sin((2 * Math.PI * timeMs) / 5_300 + p1) + 1.5 * Math.sin((2 * Math.PI * timeMs) / 2_300 + p2)),
      headY: sway * 1.5 * Math.sin((2 * Math.PI * timeMs) / 4_100 + p3),
      breath: 0.5 + 0.5 * Math.sin((2 * Math.PI * timeMs) / 4_000),
      emphasis: speech ? this.emphasis(speech) : 0,
    };
  }

  private mouth({ utterance, sample }: SpeechPosition): { viseme: Viseme; mouthOpen: number } {
    const keys = utterance.visemes;
    const viseme = visemeAt(keys, sample + msToSamples(ANTICIPATION_MS));
    let weighted = 0;
    let weights = 0;
    for (const [offsetMs, weight] of COARTICULATION_TAPS_MS) {
      weighted += weight * VISEME_OPENNESS[visemeAt(keys, sample + msToSamples(offsetMs))];
      weights += weight;
    }
    const openness = weighted / weights;
    const target = VISEME_OPENNESS[viseme];
    return { viseme, mouthOpen: target === 0 ? 0 : Math.min(1, openness / target) };
  }

  private emphasis({ utterance, sample }: SpeechPosition): number {
    let level = 0;
    for (const word of utterance.words) {
      if (!word.stressed || word.sample > sample) continue;
      const sinceMs = ((sample - word.sample) * 1000) / AUDIO_SAMPLE_RATE;
      const envelope = sinceMs < EMPHASIS_RISE_MS ? sinceMs / EMPHASIS_RISE_MS : Math.max(0, 1 - (sinceMs - EMPHASIS_RISE_MS) / EMPHASIS_FALL_MS);
      level = Math.max(level, envelope);
    }
    return level;
  }

  private eyeOpen(timeMs: number): number {
    while ((this.blinks.at(-1) ?? 0) < timeMs + BLINK_GAP_MS[1]) {
      const [min, max] = BLINK_GAP_MS;
      this.blinks.push((this.blinks.at(-1) ?? 0) + min + this.random() * (max - min));
    }
    for (const start of this.blinks) {
      if (start > timeMs) break;
      if (timeMs < start + BLINK_MS) return Math.abs((2 * (timeMs - start)) / BLINK_MS - 1);
    }
    return 1;
  }
}

function visemeAt(keys: VisemeKey[], sample: number): Viseme {
  let low = 0;
  let high = keys.length - 1;
  if (high < 0 || sample < keys[0]!.sample) return 'sil';
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (keys[mid]!.sample <= sample) low = mid;
    else high = mid - 1;
  }
  return keys[low]!.viseme;
}

const msToSamples = (ms: number) => Math.round((ms * AUDIO_SAMPLE_RATE) / 1000);
