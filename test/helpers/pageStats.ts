import type { Page } from 'playwright-core';

export interface InboundStats {
  framesDecoded: number;
  totalAudioEnergy: number;
  audioLevel: number;
  /** Seconds of audio the page has played out (0 until its audio playout has started). */
  totalSamplesDuration: number;
  packetsLostVideo: number;
}

/** Reads inbound-rtp stats from the page's `window.onair.client.pc` (viewer) peer connection. */
export function inboundStats(page: Page, pcPath = 'window.onair.client.pc'): Promise<InboundStats> {
  return page.evaluate(async (path) => {
    const pc = path
      .split('.')
      .slice(1)
      .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], window) as RTCPeerConnection | null;
    const result = { framesDecoded: 0, totalAudioEnergy: 0, audioLevel: 0, totalSamplesDuration: 0, packetsLostVideo: 0 };
    if (!pc) return result;
    (await pc.getStats()).forEach((s: { type: string; kind?: string; framesDecoded?: number; packetsLost?: number; totalAudioEnergy?: number; audioLevel?: number; totalSamplesDuration?: number }) => {
      if (s.type !== 'inbound-rtp') return;
      if (s.kind === 'video') {
        result.framesDecoded = s.framesDecoded ?? 0;
        result.packetsLostVideo = s.packetsLost ?? 0;
      }
      if (s.kind === 'audio') {
        result.totalAudioEnergy = s.totalAudioEnergy ?? 0;
        result.audioLevel = s.audioLevel ?? 0;
        result.totalSamplesDuration = s.totalSamplesDuration ?? 0;
      }
    });
    return result;
  }, pcPath);
}

export async function waitForPage<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A WebAudio meter on what the page's <video> plays: the RMS level every 4 ms, stamped with
 * performance.now(), in `window.levels`. (getStats' audio energy lags and jumps by seconds.)
 * A WebRTC page's video has a MediaStream; an HLS page's plays from MediaSource, so its
 * element's output is routed through the meter to the speakers.
 */
export function installLevelMeter(page: Page): Promise<void> {
  return page.evaluate(`(() => {
    const video = document.querySelector('video');
    const audio = new AudioContext();
    const analyser = audio.createAnalyser();
    analyser.fftSize = 256;
    if (video.srcObject) audio.createMediaStreamSource(video.srcObject).connect(analyser);
    else audio.createMediaElementSource(video).connect(analyser).connect(audio.destination);
    const buffer = new Float32Array(analyser.fftSize);
    window.levels = [];
    setInterval(() => {
      analyser.getFloatTimeDomainData(buffer);
      let sum = 0;
      for (const v of buffer) sum += v * v;
      window.levels.push([performance.now() - (analyser.fftSize / audio.sampleRate) * 500, Math.sqrt(sum / buffer.length)]);
      if (window.levels.length > 20000) window.levels.splice(0, 10000);
    }, 4);
  })()`);
}

/** The loudest level the meter saw in the last `windowMs`. */
export function peakLevel(page: Page, windowMs: number): Promise<number> {
  return page.evaluate(`(() => {
    const since = performance.now() - ${windowMs};
    return window.levels.reduce((peak, [t, level]) => (t >= since ? Math.max(peak, level) : peak), 0);
  })()`) as Promise<number>;
}
