import { applyDenseStack, type DenseLayer } from '../../lib/dense/denseLayer.js';

export type { DenseLayer };

/**
 * The classifier: dense layers with ReLU between them, then softmax(logits / T). Each
 * layer's weights are row-major [inputs × outputs], the layout of an ONNX MatMul
 * initializer. One layer is multinomial logistic regression; two make a 1-hidden-layer MLP.
 */
export interface IntentNetwork {
  layers: DenseLayer[];
  temperature: number;
}

export function inputSize(network: IntentNetwork): number {
  return network.layers[0]!.inputs;
}

export function logits(network: IntentNetwork, features: Float32Array): Float64Array {
  return applyDenseStack(network.layers, features);
}

export function softmax(values: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of values) max = Math.max(max, v / temperature);
  const out = values.map((v) => Math.exp(v / temperature - max));
  let sum = 0;
  for (const v of out) sum += v;
  return out.map((v) => v / sum);
}

/** The pure-JS forward pass, the reference the ONNX graph is checked against. */
export function predictProbabilities(network: IntentNetwork, features: Float32Array): Float64Array {
  return softmax(logits(network, features), network.temperature);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
