/** The contract between the animation stage (pipeline/animate) and the rig compositor. */
export const VISEMES = ['sil', 'MBP', 'FV', 'TH', 'CONS', 'SZ', 'SH', 'AA', 'EE', 'OO'] as const;
export type Viseme = (typeof VISEMES)[number];

export interface RigPose {
  /** Dominant mouth shape for this frame. */
  viseme: Viseme;
  /** How far the mouth shape is expressed, 0 (closed/rest) .. 1 (full). */
  mouthOpen: number;
  /** 1 = eyes fully open, 0 = closed (blink). */
  eyeOpen: number;
  /** Head offset in pixels at 640x360; the compositor scales it. */
  headX: number;
  headY: number;
  /** Breathing phase 0..1, lifts the body slightly. */
  breath: number;
  /** Stress on the current word 0..1 (small head nod / brow lift). */
  emphasis: number;
}

export const REST_POSE: RigPose = {
  viseme: 'sil',
  mouthOpen: 0,
  eyeOpen: 1,
  headX: 0,
  headY: 0,
  breath: 0,
  emphasis: 0,
};
