import { createHash } from 'node:crypto';
import { RENDERER_VERSION } from '../../renderer/rig/atlasBundle.js';
import type { Persona } from '../persona/index.js';

/** Bumped when TTS output or its timing tracks change, so older phrases are not reused. */
export const VOICE_VERSION = 'espeak-ng/1';

export interface FrameSize {
  width: number;
  height: number;
}

/** A cached phrase: the same words in the same voice give the same key. */
export function voiceAssetKey(text: string, persona: Persona): string {
  return hash({ kind: 'voice', voiceVersion: VOICE_VERSION, text, voice: persona.voice });
}

/** A rendered clip also depends on the persona's look and branding, and the frame format. */
export function clipAssetKey(text: string, persona: Persona, size: FrameSize, fps: number): string {
  return hash({ kind: 'clip', voiceVersion: VOICE_VERSION, rendererVersion: RENDERER_VERSION, text, persona, size: frameSize(size), fps });
}

export function rigAssetKey(persona: Persona, size: FrameSize): string {
  return hash({ kind: 'rig', rendererVersion: RENDERER_VERSION, look: persona.look, branding: persona.branding, size: frameSize(size) });
}

/** Only the dimensions count: callers may pass richer objects (encoder settings). */
const frameSize = ({ width, height }: FrameSize): FrameSize => ({ width, height });

function hash(inputs: unknown): string {
  return createHash('sha256').update(canonicalJson(inputs)).digest('hex');
}

/** JSON with sorted object keys, so equal inputs hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
