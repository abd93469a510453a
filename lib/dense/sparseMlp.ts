import { adamParam, type AdamParam } from './adam.js';
import type { DenseLayer } from './denseLayer.js';

/** A feature vector kept as its non-zero entries. */
export interface SparseVector {
  indices: ArrayLike<number>;
  values: Float64Array;
}

export function toSparse(dense: Float32Array): SparseVector {
  const indices: number[] = [];
  dense.forEach((v, i) => v !== 0 && indices.push(i));
  return { indices: Uint32Array.from(indices), values: Float64Array.from(indices, (i) => dense[i]!) };
}

/** Mini-batch Adam training of a small MLP. */
export interface MlpTrainingOptions {
  /** Hidden layer widths: [] is a linear model, [16] one hidden layer. */
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights (not on biases). */
  l2: number;
  random: () => number;
}

export interface TrainableLayer {
  inputs: number;
  outputs: number;
  w: AdamParam;
  b: AdamParam;
}

/** Layers for `sizes` (input, hidden…, output): He-uniform weights for an MLP, zeros for a linear model. */
export function trainableLayers(sizes: readonly number[], random: () => number): TrainableLayer[] {
  const linear = sizes.length === 2;
  return sizes.slice(1).map((outputs, l) => {
    const inputs = sizes[l]!;
    const limit = linear ? 0 : Math.sqrt(6 / inputs);
    return { inputs, outputs, w: adamParam(inputs * outputs, true, () => (random() * 2 - 1) * limit), b: adamParam(outputs, false) };
  });
}

/** The forward pass (ReLU between layers); `activations[l]` is the input of layer l ≥ 1. */
export function forward(layers: readonly TrainableLayer[], input: SparseVector): { out: Float64Array; activations: Float64Array[] } {
  const activations: Float64Array[] = [];
  const first = layers[0]!;
  let out = Float64Array.from(first.b.value);
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
  return { out, activations };
}

/** One example's forward and backward pass under softmax cross-entropy, its gradient weighted by `scale`. */
export function backpropSoftmax(layers: readonly TrainableLayer[], input: SparseVector, label: number, scale: number): void {
  const { out, activations } = forward(layers, input);
  let max = -Infinity;
  for (const v of out) max = Math.max(max, v);
  let sum = 0;
  for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp(out[c]! - max);
  backward(layers, activations, input, out.map((p, c) => (p / sum - (c === label ? 1 : 0)) * scale));
}

/** Accumulates the gradients of every layer from `delta`, the loss gradient at the output. */
export function backward(layers: readonly TrainableLayer[], activations: readonly Float64Array[], input: SparseVector, delta: Float64Array): void {
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
  const first = layers[0]!;
  for (let o = 0; o < first.outputs; o++) first.b.grad[o]! += delta[o]!;
  for (let k = 0; k < input.indices.length; k++) {
    const row = input.indices[k]! * first.outputs;
    const x = input.values[k]!;
    for (let o = 0; o < first.outputs; o++) first.w.grad[row + o]! += x * delta[o]!;
  }
}

export const toDenseLayers = (layers: readonly TrainableLayer[]): DenseLayer[] =>
  layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, weights: Float32Array.from(l.w.value), bias: Float32Array.from(l.b.value) }));
