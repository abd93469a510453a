import type { Persona } from '../../../lib/media/Persona.js';
import type { LowerThirdText } from '../overlays/lowerThird.js';
import { VISEMES, type RigPose, type Viseme } from '../pose.js';

/**
 * The render thread's shared memory. A frame request is a handshake on `control`: the caller
 * writes the pose and the slot, bumps REQUEST and waits; the thread draws into the slot, then
 * sets DONE to the same number. Overlay changes travel as messages, read before each frame.
 */
export const Control = {
  /** Sequence number of the last request. */
  REQUEST: 0,
  /** Sequence number of the last answered request. */
  DONE: 1,
  /** Which compositor draws (an index into RenderThreadData.compositors). */
  COMPOSITOR: 2,
  /** Which frame slot receives the pixels. */
  SLOT: 3,
  /** Bytes written into the slot; 0 when drawing failed. */
  FRAME_BYTES: 4,
  /** Non-zero: the thread leaves its loop. */
  CLOSE: 5,
} as const;
export const CONTROL_LENGTH = 6;

const POSE_FIELDS = ['mouthOpen', 'eyeOpen', 'headX', 'headY', 'breath', 'emphasis'] as const;
export const POSE_LENGTH = 1 + POSE_FIELDS.length;

export interface CompositorSpec {
  persona: Persona;
  /** The rig as `encodeAtlas` writes it. */
  bundle: Uint8Array;
  lowerThird: LowerThirdText | null;
  liveBadge: boolean;
}

export interface RenderThreadData {
  control: SharedArrayBuffer;
  pose: SharedArrayBuffer;
  frames: SharedArrayBuffer;
  slotBytes: number;
  compositors: CompositorSpec[];
}

/** Overlay state changes, applied before the next frame is drawn. */
export type RenderThreadMessage =
  | { type: 'lowerThird'; compositor: number; text: LowerThirdText | null }
  | { type: 'liveBadge'; compositor: number; on: boolean };

export function writePose(out: Float64Array, pose: RigPose): void {
  out[0] = VISEMES.indexOf(pose.viseme);
  for (let i = 0; i < POSE_FIELDS.length; i++) out[i + 1] = pose[POSE_FIELDS[i]!];
}

export function readPose(from: Float64Array): RigPose {
  const pose = { viseme: VISEMES[from[0]!] ?? ('sil' as Viseme) } as RigPose;
  for (let i = 0; i < POSE_FIELDS.length; i++) pose[POSE_FIELDS[i]!] = from[i + 1]!;
  return pose;
}
