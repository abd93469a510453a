/**
 * Streaming mono resampler (cubic Hermite interpolation). It keeps its read position and
 * the input samples still needed, so a stream pushed in chunks resamples exactly like one
 * buffer. Used to bring TTS audio (22.05 kHz for espeak) onto the show's 48 kHz clock.
 */
export class Resampler {
  private readonly step: number;
  /** Input samples from absolute index `offset` on (index -1 is a virtual zero). */
  private pending = new Float32Array([0]);
  private offset = -1;
  /** Absolute input position of the next output sample. */
  private position = 0;

  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
  ) {
    this.step = inputRate / outputRate;
  }

  push(input: Int16Array): Int16Array {
    const samples = new Float32Array(this.pending.length + input.length);
    samples.set(this.pending);
    samples.set(input, this.pending.length);
    const lastIndex = this.offset + samples.length - 1;
    const x = (k: number) => samples[k - this.offset]!;
    const out: number[] = [];
    while (Math.floor(this.position) + 2 <= lastIndex) {
      const i = Math.floor(this.position);
      out.push(clamp(hermite(x(i - 1), x(i), x(i + 1), x(i + 2), this.position - i)));
      this.position += this.step;
    }
    const keepFrom = Math.min(Math.floor(this.position) - 1, lastIndex);
    this.pending = samples.slice(keepFrom - this.offset);
    this.offset = keepFrom;
    return Int16Array.from(out);
  }

  /** Output for the input's last samples, which the next chunk would otherwise complete. */
  flush(): Int16Array {
    return this.push(new Int16Array(3));
  }
}

function hermite(xm1: number, x0: number, x1: number, x2: number, t: number): number {
  const c1 = 0.5 * (x1 - xm1);
  const c2 = xm1 - 2.5 * x0 + 2 * x1 - 0.5 * x2;
  const c3 = 0.5 * (x2 - xm1) + 1.5 * (x0 - x1);
  return ((c3 * t + c2) * t + c1) * t + x0;
}

function clamp(v: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(v)));
}
