import type { Worker } from 'node:worker_threads';
import { startSiblingWorker } from '../../../lib/moduleUrl.js';
import { TtsAbortedError, TtsError, UnknownVoiceError } from '../errors.js';
import type { TtsChunk, TtsEngine, VoiceSpec } from '../TtsEngine.js';
import type { SynthRequest, WorkerReply } from './espeakProtocol.js';

const VOICE_NAME = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;
const VARIANT_NAME = /^[a-z0-9]{1,12}$/i;

type Waiter = { push: (reply: WorkerReply) => void };

/** libespeak-ng in a worker thread, called through koffi. */
export class EspeakEngine implements TtsEngine {
  readonly name = 'espeak-ng';
  private readonly waiters = new Map<number, Waiter>();
  private readonly cancel: Int32Array;
  private nextId = 1;

  private constructor(
    private readonly worker: Worker,
    cancel: SharedArrayBuffer,
    readonly sampleRate: number,
  ) {
    this.cancel = new Int32Array(cancel);
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type !== 'ready') this.waiters.get(reply.id)?.push(reply);
    });
    worker.unref(); // an idle engine must not keep the process alive; a running synthesis refs it
  }

  /** Starts the worker and waits until libespeak-ng has initialized. */
  static async start(): Promise<EspeakEngine> {
    const cancel = new SharedArrayBuffer(4);
    const worker = startSiblingWorker(import.meta.url, 'espeakWorker', { workerData: { cancel }, name: 'tts-espeak' });
    const sampleRate = await new Promise<number>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (reply: WorkerReply) => {
        worker.off('error', reject);
        if (reply.type === 'ready' && reply.sampleRate > 0) resolve(reply.sampleRate);
        else reject(new TtsError('TTS_UNAVAILABLE', 'libespeak-ng failed to initialize'));
      });
    });
    return new EspeakEngine(worker, cancel, sampleRate);
  }

  async *synthesize(text: string, voice: VoiceSpec, signal?: AbortSignal): AsyncIterable<TtsChunk> {
    const voiceName = espeakVoiceName(voice);
    const id = this.nextId++;
    const replies: WorkerReply[] = [];
    let wake: (() => void) | undefined;
    this.waiters.set(id, { push: (reply) => (replies.push(reply), wake?.()) });
    const onAbort = () => Atomics.store(this.cancel, 0, id);
    signal?.addEventListener('abort', onAbort, { once: true });
    const request: SynthRequest = { type: 'synth', id, text, voiceName, rateWpm: voice.rateWpm, pitch: voice.pitch };
    this.worker.ref();
    this.worker.postMessage(request);
    try {
      for (;;) {
        if (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const reply = replies.shift()!;
        if (signal?.aborted) throw new TtsAbortedError();
        if (reply.type === 'error') throw reply.code === 'VOICE_UNKNOWN' ? new UnknownVoiceError(voiceName) : new TtsError(reply.code, reply.message);
        if (reply.type === 'done') return;
        if (reply.type === 'chunk') yield { pcm: reply.pcm, sampleRate: this.sampleRate, startSample: reply.startSample, events: reply.events };
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      this.waiters.delete(id);
      if (this.waiters.size === 0) this.worker.unref();
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export function espeakVoiceName(voice: VoiceSpec): string {
  if (!VOICE_NAME.test(voice.voice)) throw new UnknownVoiceError(voice.voice);
  if (voice.variant !== undefined && !VARIANT_NAME.test(voice.variant)) throw new UnknownVoiceError(`${voice.voice}+${voice.variant}`);
  return voice.variant ? `${voice.voice}+${voice.variant}` : voice.voice;
}
