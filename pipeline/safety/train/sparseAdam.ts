/**
 * Mini-batch training of the safety MLP with lazy Adam on the first layer: only the weight rows
 * of features present in the batch are updated (their moments and L2 included), so an epoch
 * costs what the batch's features cost, not the whole [dimension × hidden] matrix. The layers
 * after the first are small and updated in full. Deterministic for a given PRNG.
 */
import { backpropSoftmax, toDenseLayers, trainableLayers, type MlpTrainingOptions, type SparseVector } from '../../../lib/dense/sparseMlp.js';
import { shuffled } from '../../../lib/prng.js';
import type { IntentNetwork } from '../../intent/network.js';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export function trainSparseNetwork(
  inputs: readonly SparseVector[],
  labels: readonly number[],
  dimension: number,
  classes: number,
  options: MlpTrainingOptions & { weights?: readonly number[] },
): IntentNetwork {
  const layers = trainableLayers([dimension, ...options.hidden, classes], options.random);
  const first = layers[0]!;
  const width = first.outputs;
  const rest = [first.b, ...layers.slice(1).flatMap((l) => [l.w, l.b])];
  const touched = new Uint8Array(dimension);
  const rows: number[] = [];

  const backprop = (input: SparseVector, label: number, scale: number) => {
    backpropSoftmax(layers, input, label, scale);
    for (let k = 0; k < input.indices.length; k++) {
      const i = input.indices[k]!;
      if (!touched[i]) {
        touched[i] = 1;
        rows.push(i);
      }
    }
  };

  // The bias corrections' powers as running products: `**` may round differently from one V8 to
  // the next (optimized code against the runtime), and the model must be the same bytes on each.
  let beta1Power = 1;
  let beta2Power = 1;
  const update = () => {
    beta1Power *= BETA1;
    beta2Power *= BETA2;
    const lr = (options.learningRate * Math.sqrt(1 - beta2Power)) / (1 - beta1Power);
    const adam = (p: { value: Float64Array; grad: Float64Array; m: Float64Array; v: Float64Array; decay: boolean }, i: number) => {
      const g = p.grad[i]! + (p.decay ? options.l2 * p.value[i]! : 0);
      p.m[i] = BETA1 * p.m[i]! + (1 - BETA1) * g;
      p.v[i] = BETA2 * p.v[i]! + (1 - BETA2) * g * g;
      p.value[i]! -= (lr * p.m[i]!) / (Math.sqrt(p.v[i]!) + EPSILON);
      p.grad[i] = 0;
    };
    rows.sort((a, b) => a - b);
    for (const r of rows) {
      for (let o = 0; o < width; o++) adam(first.w, r * width + o);
      touched[r] = 0;
    }
    rows.length = 0;
    for (const p of rest) for (let i = 0; i < p.value.length; i++) adam(p, i);
  };

  const order = inputs.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const epochOrder = shuffled(order, options.random);
    for (let start = 0; start < epochOrder.length; start += options.batchSize) {
      const batch = epochOrder.slice(start, start + options.batchSize);
      for (const index of batch) backprop(inputs[index]!, labels[index]!, (options.weights?.[index] ?? 1) / batch.length);
      update();
    }
  }
  return { layers: toDenseLayers(layers), temperature: 1 };
}
