import type { DenseLayer, IntentNetwork } from '../network.js';
import { shuffled } from '../../../lib/prng.js';

/** A feature vector kept as its non-zero entries; hashed text vectors are ~97% zeros. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float64Array;
}

export function toSparse(dense: Float32Array): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  dense.forEach((v, i) => {
    if (v !== 0) {
      indices.push(i);
      values.push(v);
    }
  });
  return { indices: Uint32Array.from(indices), values: Float64Array.from(values) };
}

export interface DenseTrainingOptions {
  /** Hidden layer widths; [] is multinomial logistic regression. */
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
  random: () => number;
}

interface Param {
  value: Float64Array;
  grad: Float64Array;
  m: Float64Array;
  v: Float64Array;
  decay: boolean;
}

const param = (size: number, decay: boolean, init: () => number = () => 0): Param => ({
  value: Float64Array.from({ length: size }, init),
  grad: new Float64Array(size),
  m: new Float64Array(size),
  v: new Float64Array(size),
  decay,
});

/** Mini-batch Adam on the cross-entropy loss; the first layer reads sparse inputs. */
export function trainDenseNetwork(
  inputs: readonly SparseVector[],
  labels: readonly number[],
  dimension: number,
  classes: number,
  options: DenseTrainingOptions,
): IntentNetwork {
  const sizes = [dimension, ...options.hidden, classes];
  const layers = sizes.slice(1).map((outputs, l) => {
    const fanIn = sizes[l]!;
    // He-uniform for ReLU layers; a linear model starts at zero.
    const limit = options.hidden.length ? Math.sqrt(6 / fanIn) : 0;
    return {
      inputs: fanIn,
      outputs,
      w: param(fanIn * outputs, true, () => (options.random() * 2 - 1) * limit),
      b: param(outputs, false),
    };
  });
  const params = layers.flatMap((l) => [l.w, l.b]);
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
  let step = 0;

  const backprop = (input: SparseVector, label: number, scale: number) => {
    // Forward: activations[l] is the input of layer l (dense for l ≥ 1).
    const activations: Float64Array[] = [];
    let out = Float64Array.from(layers[0]!.b.value);
    const first = layers[0]!;
    for (let k = 0; k < input.indices.length; k++) {
      const row = input.indices[k]! * first.outputs;
      const x = input.values[k]!;
      for (let o = 0; o < first.outputs; o++) out[o]! += x * first.w.value[row + o]!;
    }
    for (let l = 1; l < layers.length; l++) {
      const layer = layers[l]!;
      const a = out.map((v) => Math.max(0, v));
      activations[l] = a;
      out = Float64Array.from(layer.b.value);
      for (let i = 0; i < layer.inputs; i++) {
        const x = a[i]!;
        if (x === 0) continue;
        const row = i * layer.outputs;
        for (let o = 0; o < layer.outputs; o++) out[o]! += x * layer.w.value[row + o]!;
      }
    }
    let max = -Infinity;
    for (const v of out) max = Math.max(max, v);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[c] = Math.exp(out[c]! - max);
    // Backward: delta is dLoss/dOutput of the current layer.
    let delta = out.map((p, c) => (p / sum - (c === label ? 1 : 0)) * scale);
    for (let l = layers.length - 1; l >= 1; l--) {
      const layer = layers[l]!;
      const a = activations[l]!;
      const below = new Float64Array(layer.inputs);
      for (let i = 0; i < layer.inputs; i++) {
        const row = i * layer.outputs;
        let back = 0;
        for (let o = 0; o < layer.outputs; o++) {
          layer.w.grad[row + o]! += a[i]! * delta[o]!;
          back += layer.w.value[row + o]! * delta[o]!;
        }
        below[i] = a[i]! > 0 ? back : 0;
      }
      for (let o = 0; o < layer.outputs; o++) layer.b.grad[o]! += delta[o]!;
      delta = below;
    }
    for (let o = 0; o < first.outputs; o++) first.b.grad[o]! += delta[o]!;
    for (let k = 0; k < input.indices.length; k++) {
      const row = input.indices[k]! * first.outputs;
      const x = input.values[k]!;
      for (let o = 0; o < first.outputs; o++) first.w.grad[row + o]! += x * delta[o]!;
    }
  };

  const order = inputs.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const epochOrder = shuffled(order, options.random);
    for (let start = 0; start < epochOrder.length; start += options.batchSize) {
      const batch = epochOrder.slice(start, start + options.batchSize);
      for (const p of params) p.grad.fill(0);
      for (const index of batch) backprop(inputs[index]!, labels[index]!, 1 / batch.length);
      step++;
      const lr = (options.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      for (const p of params) {
        for (let i = 0; i < p.value.length; i++) {
          const g = p.grad[i]! + (p.decay ? options.l2 * p.value[i]! : 0);
          const m = (p.m[i] = beta1 * p.m[i]! + (1 - beta1) * g);
          const v = (p.v[i] = beta2 * p.v[i]! + (1 - beta2) * g * g);
          p.value[i]! -= (lr * m) / (Math.sqrt(v) + epsilon);
        }
      }
    }
  }
  const toLayer = (l: (typeof layers)[number]): DenseLayer => ({
    inputs: l.inputs,
    outputs: l.outputs,
    weights: Float32Array.from(l.w.value),
    bias: Float32Array.from(l.b.value),
  });
  return { layers: layers.map(toLayer), temperature: 1 };
}
