import { summarize, type Summary } from '../../lib/percentiles.js';

/** The last `capacity` latency samples, for p50/p95/p99 without unbounded memory. */
export class LatencyRing {
  private readonly samples: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  push(ms: number): void {
    this.samples[this.count % this.samples.length] = ms;
    this.count += 1;
  }

  summary(): Summary {
    return summarize(this.values());
  }

  values(): number[] {
    return Array.from(this.samples.subarray(0, Math.min(this.count, this.samples.length)));
  }
}
