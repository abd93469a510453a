import { buildUtterance, type Utterance } from '../animate/Utterance.js';
import { AUDIO_SAMPLE_RATE } from '../../lib/media/codecs.js';
import { decodeUtterance, encodeUtterance } from '../animate/utteranceCodec.js';
import type { Persona } from '../persona/index.js';
import type { TtsEngine } from '../tts/TtsEngine.js';
import { voiceAssetKey } from './assetKeys.js';
import type { AssetStore } from './AssetStore.js';

export const UTTERANCE_FILE = 'utterance.oau';

/** A cached phrase (48 kHz PCM with its viseme and word tracks), or undefined. */
export async function loadPhrase(store: AssetStore, text: string, persona: Persona): Promise<Utterance | undefined> {
  const key = voiceAssetKey(text, persona);
  if (!(await store.get(key))) return undefined;
  return decodeUtterance(await store.read(key, UTTERANCE_FILE));
}

/** The phrase from the store, or synthesized and stored. */
export async function cachePhrase(store: AssetStore, tts: TtsEngine, text: string, persona: Persona, signal?: AbortSignal): Promise<{ key: string; utterance: Utterance; synthesized: boolean }> {
  const key = voiceAssetKey(text, persona);
  const cached = await loadPhrase(store, text, persona);
  if (cached) return { key, utterance: cached, synthesized: false };
  const utterance = await buildUtterance(tts.synthesize(text, persona.voice, signal));
  if (utterance.pcm.length === 0) throw new Error('the TTS engine produced no audio');
  await store.save(
    { key, kind: 'voice', persona: persona.id, label: text.slice(0, 120), meta: { durationMs: Math.round((utterance.pcm.length * 1000) / AUDIO_SAMPLE_RATE) } },
    [{ name: UTTERANCE_FILE, bytes: encodeUtterance(utterance) }],
  );
  return { key, utterance, synthesized: true };
}
