import type { Summary } from '../../lib/percentiles.js';

/** 20 buckets a decade (each about 12% wide), from 1 µs up. */
const PER_DECADE = 20;
const FLOOR_MS = 0.001;

/** Sparse: bucket index → count. Histograms of several nodes add up, so percentiles can be pooled. */
export type LatencyHistogram = Record<string, number>;

export function bucketOfMs(ms: number): number {
  return Math.max(0, Math.floor(Math.log10(Math.max(ms, FLOOR_MS) / FLOOR_MS) * PER_DECADE));
}

/** The middle (geometric) of a bucket, in ms. */
const middleOf = (bucket: number) => FLOOR_MS * 10 ** ((bucket + 0.5) / PER_DECADE);

export function histogramOf(samples: Iterable<number>): LatencyHistogram {
  const histogram: LatencyHistogram = {};
  for (const ms of samples) {
    const bucket = String(bucketOfMs(ms));
    histogram[bucket] = (histogram[bucket] ?? 0) + 1;
  }
  return histogram;
}

export function addHistograms(into: LatencyHistogram, from: LatencyHistogram): LatencyHistogram {
  for (const [bucket, count] of Object.entries(from))
    if (Number.isFinite(count)) into[bucket] = (into[bucket] ?? 0) + count;
  return into;
}

/** Percentiles to the bucket's middle (±6%); `max` is the largest of the `maxes` given. */
export function summaryOfHistogram(histogram: LatencyHistogram, maxes: number[]): Summary {
  const buckets = Object.entries(histogram)
    .map(([bucket, count]) => [Number(bucket), count] as const)
    .filter(([bucket, count]) => Number.isInteger(bucket) && count > 0)
    .sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((n, [, c]) => n + c, 0);
  const at = (p: number) => {
    if (count === 0) return Number.NaN;
    const rank = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const [bucket, c] of buckets) if ((seen += c) >= rank) return middleOf(bucket);
    return middleOf(buckets.at(-1)![0]);
  };
  const finite = maxes.filter(Number.isFinite);
  return {
    count,
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: finite.length ? Math.max(...finite) : Number.NaN,
  };
}
