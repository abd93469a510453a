import { logits, softmax, type IntentNetwork } from '../network.js';

function negativeLogLikelihood(
  allLogits: readonly Float64Array[],
  labels: readonly number[],
  temperature: number,
): number {
  let total = 0;
  allLogits.forEach((l, i) => {
    total -= Math.log(Math.max(softmax(l, temperature)[labels[i]!]!, 1e-12));
  });
  return total / allLogits.length;
}

/**
 * Temperature scaling: the single T that minimises NLL on held-back data. A log-spaced
 * grid finds the basin, golden-section search refines it; both are deterministic.
 */
export function fitTemperature(
  model: IntentNetwork,
  inputs: readonly Float32Array[],
  labels: readonly number[],
): number {
  return fitTemperatureOnLogits(inputs.map((x) => logits(model, x)), labels);
}

/** `fitTemperature` on logits computed already (the safety model computes them from sparse features). */
export function fitTemperatureOnLogits(allLogits: readonly Float64Array[], labels: readonly number[]): number {
  const loss = (logT: number) => negativeLogLikelihood(allLogits, labels, Math.exp(logT));
  let best = 0;
  for (let logT = -3; logT <= 3; logT += 0.1) if (loss(logT) < loss(best)) best = logT;
  let [lo, hi] = [best - 0.1, best + 0.1];
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (loss(a) < loss(b)) hi = b;
    else lo = a;
  }
  return Math.fround(Math.exp((lo + hi) / 2));
}
