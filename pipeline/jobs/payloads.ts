import type { PersonaCatalog, Persona } from '../persona/index.js';
import { validateSpeechText } from '../tts/text.js';
import { InvalidJobError } from './errors.js';

export const QUEUE_NAMES = ['rig-prewarm', 'clip-render', 'voice-cache', 'show-prep'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const RESOLUTIONS = { '360p': { width: 640, height: 360 }, '720p': { width: 1280, height: 720 } } as const;
export type Resolution = keyof typeof RESOLUTIONS;

export interface RigPrewarmPayload {
  persona: string;
  resolutions: Resolution[];
}

export interface ClipRenderPayload {
  persona: string;
  text: string;
  resolution: Resolution;
  /** A producer's name for the clip ("intro", "sponsor-read-acme"). */
  name: string;
}

export interface VoiceCachePayload {
  persona: string;
  phrases: string[];
}

export interface ShowPrepPayload {
  showId?: string;
  personas: string[];
  clips: Array<Omit<ClipRenderPayload, 'resolution'> & { resolution?: Resolution }>;
  phrases: Array<{ persona: string; text: string }>;
}

export const MAX_PHRASES_PER_JOB = 50;
export const MAX_SHOW_PREP_CHILDREN = 60;
/** Phrases of one show prep; they go into voice-cache jobs of at most MAX_PHRASES_PER_JOB each. */
export const MAX_SHOW_PREP_PHRASES = 800;
const CLIP_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SHOW_ID = /^[a-z0-9]{6,32}$/;

/** Reads job payloads (from the API or straight from Redis) and refuses anything off-contract. */
export class PayloadReader {
  constructor(private readonly personas: PersonaCatalog) {}

  rigPrewarm(data: unknown): RigPrewarmPayload {
    const o = object(data, ['persona', 'resolutions']);
    return { persona: this.persona(o.persona).id, resolutions: resolutions(o.resolutions ?? ['360p']) };
  }

  clipRender(data: unknown): ClipRenderPayload {
    const o = object(data, ['persona', 'text', 'resolution', 'name']);
    return { persona: this.persona(o.persona).id, text: speech(o.text), resolution: resolution(o.resolution ?? '360p'), name: clipName(o.name ?? 'clip') };
  }

  voiceCache(data: unknown): VoiceCachePayload {
    const o = object(data, ['persona', 'phrases']);
    if (!Array.isArray(o.phrases) || o.phrases.length === 0 || o.phrases.length > MAX_PHRASES_PER_JOB) {
      throw new InvalidJobError('PAYLOAD_INVALID', `phrases must be a list of 1 to ${MAX_PHRASES_PER_JOB} texts`);
    }
    return { persona: this.persona(o.persona).id, phrases: [...new Set(o.phrases.map(speech))] };
  }

  showPrep(data: unknown): ShowPrepPayload {
    const o = object(data, ['showId', 'personas', 'clips', 'phrases']);
    if (o.showId !== undefined && (typeof o.showId !== 'string' || !SHOW_ID.test(o.showId))) throw new InvalidJobError('PAYLOAD_INVALID', 'showId is not a show id');
    const personas = list(o.personas ?? [], 'personas').map((p) => this.persona(p).id);
    const clips = list(o.clips ?? [], 'clips').map((c) => this.clipRender(c));
    const phrases = list(o.phrases ?? [], 'phrases').map((p) => {
      const item = object(p, ['persona', 'text']);
      return { persona: this.persona(item.persona).id, text: speech(item.text) };
    });
    if (personas.length + clips.length + phrases.length === 0) throw new InvalidJobError('PAYLOAD_INVALID', 'a show prep needs personas, clips or phrases');
    if (phrases.length > MAX_SHOW_PREP_PHRASES) throw new InvalidJobError('PAYLOAD_INVALID', `a show prep has at most ${MAX_SHOW_PREP_PHRASES} phrases`);
    if (new Set(personas).size + clips.length + groupPhrases(phrases).length > MAX_SHOW_PREP_CHILDREN) {
      throw new InvalidJobError('PAYLOAD_INVALID', `a show prep has at most ${MAX_SHOW_PREP_CHILDREN} jobs (rigs, clips, voice-cache jobs of ${MAX_PHRASES_PER_JOB} phrases)`);
    }
    return { ...(typeof o.showId === 'string' && { showId: o.showId }), personas: [...new Set(personas)], clips, phrases };
  }

  persona(id: unknown): Persona {
    if (typeof id !== 'string' || !this.personas.has(id)) throw new InvalidJobError('PERSONA_UNKNOWN', `unknown persona ${JSON.stringify(String(id).slice(0, 40))}`);
    return this.personas.get(id);
  }
}

/** Phrases by persona, in voice-cache jobs of at most MAX_PHRASES_PER_JOB distinct texts. */
export function groupPhrases(phrases: Array<{ persona: string; text: string }>): Array<{ persona: string; phrases: string[] }> {
  const byPersona = new Map<string, Set<string>>();
  for (const { persona, text } of phrases) byPersona.set(persona, (byPersona.get(persona) ?? new Set()).add(text));
  return [...byPersona].flatMap(([persona, texts]) => {
    const all = [...texts];
    return Array.from({ length: Math.ceil(all.length / MAX_PHRASES_PER_JOB) }, (_, i) => ({ persona, phrases: all.slice(i * MAX_PHRASES_PER_JOB, (i + 1) * MAX_PHRASES_PER_JOB) }));
  });
}

function object(data: unknown, allowed: string[]): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new InvalidJobError('PAYLOAD_INVALID', 'the payload must be an object');
  const unknown = Object.keys(data).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new InvalidJobError('PAYLOAD_INVALID', `unknown field ${JSON.stringify(unknown[0])}`);
  return data as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new InvalidJobError('PAYLOAD_INVALID', `${what} must be a list`);
  return value;
}

function speech(text: unknown): string {
  try {
    return validateSpeechText(text);
  } catch (error) {
    throw new InvalidJobError((error as { code: string }).code, (error as Error).message);
  }
}

function resolution(value: unknown): Resolution {
  if (typeof value !== 'string' || !(value in RESOLUTIONS)) throw new InvalidJobError('PAYLOAD_INVALID', `resolution must be one of ${Object.keys(RESOLUTIONS).join(', ')}`);
  return value as Resolution;
}

function resolutions(value: unknown): Resolution[] {
  if (!Array.isArray(value) || value.length === 0) throw new InvalidJobError('PAYLOAD_INVALID', 'resolutions must be a non-empty list');
  return [...new Set(value.map(resolution))];
}

/** Clip names become labels, never paths; anything but a short slug is refused. */
function clipName(value: unknown): string {
  if (typeof value !== 'string' || !CLIP_NAME.test(value)) throw new InvalidJobError('ASSET_NAME_INVALID', `clip name ${JSON.stringify(String(value).slice(0, 60))} must be a lowercase slug`);
  return value;
}
