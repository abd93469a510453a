/**
 * The live lane of one show in this process, for bench:live: the presenter (compositor),
 * the show clock and one libx264 encoder writing fragmented MP4 (no SFU, no viewer), so the
 * CPU of the lane itself (this process + its ffmpeg) can be measured per redraw path.
 */
import { sampleProcess } from './fanout/procStats.js';
import { VISEMES } from '../renderer/rig/index.js';
import type { RedrawMode } from '../renderer/rig/index.js';
import type { Utterance } from '../pipeline/animate/Utterance.js';
import { Encoder } from '../pipeline/encode/Encoder.js';
import { DEFAULT_ENCODER_SETTINGS } from '../pipeline/encode/EncoderSettings.js';
import { LiveLane } from '../pipeline/lanes/live/LiveLane.js';
import { PresenterSource } from '../pipeline/lanes/live/PresenterSource.js';
import { getPersona } from '../pipeline/persona/index.js';

export interface LaneSample {
  /** Share of one core over one second: this process, its ffmpeg, both. */
  node: number;
  ffmpeg: number;
  total: number;
}

export interface LaneRun {
  samples: LaneSample[];
  framesProduced: number;
  framesLate: number;
}

/** Speech-like animation without a TTS engine: a new viseme every 80 ms, a stressed word every 400 ms, 4 s a line. */
function syntheticLine(): Utterance {
  const samples = 4 * 48_000;
  return {
    pcm: new Int16Array(samples),
    visemes: Array.from({ length: samples / 3_840 }, (_, i) => ({ sample: i * 3_840, viseme: VISEMES[(i * 7 + 3) % VISEMES.length]! })),
    words: Array.from({ length: 10 }, (_, i) => ({ sample: i * 19_200, textPosition: i * 5 + 1, length: 4, stressed: i % 3 === 0 })),
  };
}

/** Runs the lane for `seconds` after a 1 s settle, sampling CPU once a second. */
export async function runLane(height: 360 | 720, redraw: RedrawMode, speaking: boolean, seconds: number): Promise<LaneRun> {
  const settings = { ...DEFAULT_ENCODER_SETTINGS, width: (height * 16) / 9, height };
  const persona = getPersona('ava');
  const presenter = await PresenterSource.create([persona], persona, [{ width: settings.width, height }], 1, undefined, { redraw });
  const lane = new LiveLane(presenter, settings.fps);
  const encoder = new Encoder(settings, { name: 'libx264', codec: 'H264', hardware: false, reason: '' }, { rtp: [], fragments: true });
  encoder.on('fragment', () => undefined);
  encoder.start();
  lane.setEncoder(encoder);
  const keepTalking = () => {
    if (speaking && !presenter.speaking) presenter.enqueue({ part: {}, utterance: syntheticLine(), persona });
  };
  lane.on('frame', keepTalking);
  lane.start();
  try {
    await sleep(1_000);
    const pid = encoder.pid;
    if (pid === undefined) throw new Error('the encoder did not start');
    const samples: LaneSample[] = [];
    const before = lane.stats;
    const produced0 = before.framesProduced;
    const late0 = before.framesLate;
    let cpu = process.cpuUsage();
    let ff = sampleProcess(pid);
    let at = performance.now();
    for (let s = 0; s < seconds; s++) {
      await sleep(1_000);
      const cpuNow = process.cpuUsage();
      const ffNow = sampleProcess(pid);
      const now = performance.now();
      const node = ((cpuNow.user - cpu.user + cpuNow.system - cpu.system) / 1000 / (now - at)) * 100;
      const ffmpeg = ((ffNow.cpuSeconds - ff.cpuSeconds) * 1000 * 100) / (now - at);
      samples.push({ node, ffmpeg, total: node + ffmpeg });
      cpu = cpuNow;
      ff = ffNow;
      at = now;
    }
    return { samples, framesProduced: lane.stats.framesProduced - produced0, framesLate: lane.stats.framesLate - late0 };
  } finally {
    lane.stop();
    await encoder.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
