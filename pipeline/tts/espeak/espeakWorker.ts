import { parentPort, workerData } from 'node:worker_threads';
import koffi from 'koffi';
import type { TtsEvent, TtsEventType } from '../TtsEngine.js';
import type { SynthRequest, WorkerReply } from './espeakProtocol.js';

/**
 * libespeak-ng in this worker thread: espeak is a process-wide singleton, so every
 * synthesis runs here, one at a time. SYNCHRONOUS mode calls our callback with each
 * audio chunk and the events that fall in it; we copy both (espeak reuses its buffers).
 */
const AUDIO_OUTPUT_SYNCHRONOUS = 2;
const INIT_PHONEME_EVENTS = 0x1;
const INIT_DONT_EXIT = 0x8000;
const CHARS_UTF8 = 1;
const POS_CHARACTER = 1;
const PARAM_RATE = 1;
const PARAM_PITCH = 3;
const EVENT_SIZE = 40;
// 5 is the end of a clause; 6, the end of the whole message, is what callers need.
const EVENT_TYPES: Record<number, TtsEventType> = { 1: 'word', 2: 'sentence', 6: 'end', 7: 'phoneme' };

const port = parentPort!;
const cancelFlag = new Int32Array((workerData as { cancel: SharedArrayBuffer }).cancel);
const lib = koffi.load('libespeak-ng.so.1');
const initialize = lib.func('int espeak_Initialize(int output, int buflength, const char *path, int options)');
const SynthCallback = koffi.proto('int SynthCallback(void *wav, int numsamples, void *events)');
const setSynthCallback = lib.func('void espeak_SetSynthCallback(SynthCallback *cb)');
const setVoiceByName = lib.func('int espeak_SetVoiceByName(const char *name)');
const setParameter = lib.func('int espeak_SetParameter(int parameter, int value, int relative)');
const synth = lib.func(
  'int espeak_Synth(const char *text, size_t size, unsigned int position, int position_type, unsigned int end_position, unsigned int flags, void *unique_identifier, void *user_data)',
);

koffi.struct('espeak_VOICE', {
  name: 'const char *',
  languages: 'const char *',
  identifier: 'const char *',
  gender: 'uint8_t',
  age: 'uint8_t',
  variant: 'uint8_t',
  xx1: 'uint8_t',
  score: 'int',
  spare: 'void *',
});
const setVoiceByProperties = lib.func('int espeak_SetVoiceByProperties(espeak_VOICE *voice_spec)');

const sampleRate = initialize(AUDIO_OUTPUT_SYNCHRONOUS, 50, null, INIT_PHONEME_EVENTS | INIT_DONT_EXIT) as number;
let current: { id: number; samples: number; cancelled: boolean } | undefined;

const callback = koffi.register((wav: unknown, numSamples: number, events: unknown) => {
  if (!current) return 0;
  if (Atomics.load(cancelFlag, 0) === current.id) {
    current.cancelled = true;
    return 1; // tells espeak to stop this synthesis
  }
  const pcm = wav && numSamples > 0 ? new Int16Array(koffi.view(wav, numSamples * 2).slice(0)) : new Int16Array(0);
  const reply: WorkerReply = { type: 'chunk', id: current.id, pcm, startSample: current.samples, events: readEvents(events) };
  current.samples += pcm.length;
  port.postMessage(reply, [pcm.buffer]);
  return 0;
}, koffi.pointer(SynthCallback));
setSynthCallback(callback);

/** By voice file name first; else by language, as the espeak-ng CLI does (`en-gb+m3`). */
function selectVoice(name: string): boolean {
  if (setVoiceByName(name) === 0) return true;
  const selector = { name: null, languages: name, identifier: null, gender: 0, age: 0, variant: 0, xx1: 0, score: 0, spare: null };
  return setVoiceByProperties(selector) === 0;
}

function readEvents(pointer: unknown): TtsEvent[] {
  const events: TtsEvent[] = [];
  if (!pointer) return events;
  for (let i = 0; i < 4096; i++) {
    const view = new DataView(koffi.view(pointer, (i + 1) * EVENT_SIZE), i * EVENT_SIZE, EVENT_SIZE);
    const code = view.getInt32(0, true);
    if (code === 0) break;
    const type = EVENT_TYPES[code];
    if (!type) continue;
    const event: TtsEvent = { type, sample: view.getInt32(20, true), textPosition: view.getInt32(8, true), length: view.getInt32(12, true) };
    if (type === 'phoneme') event.phoneme = phonemeName(view);
    events.push(event);
  }
  return events;
}

function phonemeName(view: DataView): string {
  let name = '';
  for (let i = 32; i < 40; i++) {
    const c = view.getUint8(i);
    if (c === 0) break;
    name += String.fromCharCode(c);
  }
  return name;
}

port.on('message', (request: SynthRequest) => {
  if (!selectVoice(request.voiceName)) {
    port.postMessage({ type: 'error', id: request.id, code: 'VOICE_UNKNOWN', message: `espeak-ng has no voice "${request.voiceName}"` } satisfies WorkerReply);
    return;
  }
  setParameter(PARAM_RATE, request.rateWpm, 0);
  setParameter(PARAM_PITCH, request.pitch, 0);
  current = { id: request.id, samples: 0, cancelled: false };
  const bytes = Buffer.from(request.text + '\0', 'utf8');
  const status = synth(bytes, bytes.length, 0, POS_CHARACTER, 0, CHARS_UTF8, null, null) as number;
  const finished = current;
  current = undefined;
  if (status !== 0 && !finished.cancelled) {
    port.postMessage({ type: 'error', id: request.id, code: 'TTS_FAILED', message: `espeak_Synth returned ${status}` } satisfies WorkerReply);
    return;
  }
  port.postMessage({ type: 'done', id: request.id, totalSamples: finished.samples, cancelled: finished.cancelled } satisfies WorkerReply);
});

port.postMessage({ type: 'ready', sampleRate } satisfies WorkerReply);
