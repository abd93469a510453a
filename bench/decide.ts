/**
 * bench:decide — in-process decisions through the full engine (rules → ONNX ranker with
 * micro-batching → epsilon-greedy) on seeded realistic contexts: decisions/s, decisions per
 * CPU-second, and each decision's latency from its call to its resolution, at several
 * concurrencies (closed loop: C decisions always in flight). The baseline, measured in the
 * same run, is the holdout path: the same rules and a default template, no ranker.
 */
import { formatSummary, percentile, type Summary } from '../lib/percentiles.js';
import { mulberry32 } from '../lib/prng.js';
import { DecisionEngine } from '../server/decisions/DecisionEngine.js';
import { randomContext } from '../server/decisions/ranker/train/contextGenerator.js';
import type { ArmAssignment, Decision, DecisionContext } from '../server/decisions/types.js';

const DECISIONS = Number(process.env.DECIDE_BENCH_DECISIONS ?? 200_000);
const SCENARIO_LIMIT_MS = Number(process.env.DECIDE_BENCH_SCENARIO_MS ?? 6_000);
const CONTEXTS = 8_192;

const engine = await DecisionEngine.load({
  defaultTemplateId: 'newsletter-badge',
  random: mulberry32(2),
  epsilon: 0.05,
});
const random = mulberry32(1);
const contexts: DecisionContext[] = Array.from({ length: CONTEXTS }, () =>
  randomContext(random, engine.templates),
);
const arms: Record<string, ArmAssignment> = {
  holdout: { arm: 'holdout', holdoutBucket: 10, rolloutBucket: 0 },
  'ranker-v1': {
    arm: 'control',
    modelVersion: 'ranker-v1',
    holdoutBucket: 5000,
    rolloutBucket: 9000,
  },
  'ranker-v2': {
    arm: 'treatment',
    modelVersion: 'ranker-v2',
    holdoutBucket: 5000,
    rolloutBucket: 10,
  },
};

/** lib/percentiles' summarize spreads into Math.max, which overflows the stack past ~100k samples. */
function summarizeMany(samples: Float64Array): Summary {
  const sorted = Array.from(samples.slice().sort());
  const p = (q: number) => percentile(sorted, q);
  return {
    count: sorted.length,
    p50: p(50),
    p95: p(95),
    p99: p(99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

interface Result {
  rate: number;
  perCpuSecond: number;
  latency: Summary;
  tiers: Record<string, number>;
}

async function run(arm: ArmAssignment, concurrency: number, decisions: number): Promise<Result> {
  const latencies = new Float64Array(decisions);
  const tiers: Record<string, number> = {};
  let issued = 0;
  let done = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SCENARIO_LIMIT_MS;
  const worker = async () => {
    while (issued < decisions && performance.now() < deadline) {
      const context = contexts[issued++ % CONTEXTS]!;
      const t0 = performance.now();
      const decision: Decision = await engine.decide(context, arm);
      latencies[done++] = performance.now() - t0;
      const tier = decision.fallbackReason ? `fallback:${decision.fallbackReason}` : decision.tier;
      tiers[tier] = (tiers[tier] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    rate: (done * 1000) / elapsedMs,
    perCpuSecond: done / cpuSeconds,
    latency: summarizeMany(latencies.subarray(0, done)),
    tiers: Object.fromEntries(
      Object.entries(tiers).map(([k, v]) => [k, Math.round((1000 * v) / done) / 10]),
    ),
  };
}

function report(label: string, r: Result): void {
  console.log(
    `${label.padEnd(30)} ${r.rate.toFixed(0).padStart(7)} decisions/s  ${r.perCpuSecond.toFixed(0).padStart(7)} per CPU-s`,
  );
  console.log(`  ${formatSummary('latency call→resolution', r.latency)}`);
  console.log(`  tiers (%): ${JSON.stringify(r.tiers)}`);
}

console.log(
  `versions ${engine.versions.join(', ')}; ${CONTEXTS} seeded contexts; ${DECISIONS} decisions per scenario (≤ ${SCENARIO_LIMIT_MS} ms)`,
);
await run(arms['ranker-v2']!, 256, 30_000);
await run(arms.holdout!, 256, 30_000);

const results: Record<string, Result> = {};
for (const concurrency of [256, 32, 8, 1]) {
  const decisions = concurrency === 1 ? Math.min(DECISIONS, 30_000) : DECISIONS;
  for (const name of ['holdout', 'ranker-v2', 'ranker-v1'] as const) {
    if (concurrency < 256 && name === 'ranker-v1') continue;
    const label = `${name === 'holdout' ? 'baseline (rules only)' : `full (${name})`} C=${concurrency}`;
    results[label] = await run(arms[name]!, concurrency, decisions);
    report(label, results[label]!);
  }
}
const full = results['full (ranker-v2) C=256']!;
const baseline = results['baseline (rules only) C=256']!;
console.log(
  `\nfull ÷ baseline throughput at C=256: ${(full.rate / baseline.rate).toFixed(2)} (per CPU-s ${(full.perCpuSecond / baseline.perCpuSecond).toFixed(2)})`,
);
console.log(
  `targets: ≥ 50k decisions/s per core: ${full.perCpuSecond >= 50_000 ? 'met' : 'NOT met'} (${full.perCpuSecond.toFixed(0)}/CPU-s at C=256); ` +
    `p99 ≤ 1 ms: C=32 ${results['full (ranker-v2) C=32']!.latency.p99.toFixed(3)} ms, C=8 ${results['full (ranker-v2) C=8']!.latency.p99.toFixed(3)} ms, C=1 ${results['full (ranker-v2) C=1']!.latency.p99.toFixed(3)} ms, C=256 ${full.latency.p99.toFixed(3)} ms`,
);
await engine.close();
