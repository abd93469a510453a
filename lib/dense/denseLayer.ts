/**
 * One fully connected layer. Weights are row-major [inputs × outputs], the layout of an ONNX
 * MatMul initializer, so a network is written to ONNX as it is.
 */
export interface DenseLayer {
  inputs: number;
  outputs: number;
  weights: Float32Array;
  bias: Float32Array;
}

/** bias + input · W, then ReLU if asked; zero inputs are skipped (the rows are sparse). */
export function applyDense(layer: DenseLayer, input: ArrayLike<number>, relu: boolean): Float64Array {
  const out = Float64Array.from(layer.bias);
  for (let i = 0; i < layer.inputs; i++) {
    const x = input[i]!;
    if (x === 0) continue;
    const row = i * layer.outputs;
    for (let o = 0; o < layer.outputs; o++) out[o]! += x * layer.weights[row + o]!;
  }
  if (relu) for (let o = 0; o < out.length; o++) out[o] = Math.max(0, out[o]!);
  return out;
}

/** The layers in turn, ReLU between them (not after the last): the last layer's pre-activations. */
export function applyDenseStack(layers: readonly DenseLayer[], input: ArrayLike<number>): Float64Array {
  let activations: ArrayLike<number> = input;
  layers.forEach((layer, l) => (activations = applyDense(layer, activations, l < layers.length - 1)));
  return activations as Float64Array;
}
