import { applyDenseStack, type DenseLayer } from '../../../lib/dense/denseLayer.js';

export type { DenseLayer };

/**
 * The ranker: P(click) = P(examined | placement) · P(click | examined, features), the
 * position-based click model. Relevance is dense layers (ReLU between) and a sigmoid; its
 * first layer has zero weights on the placement one-hots. Examination is a dot product of
 * the row with `examination`, which holds θ_placement at the placement one-hots and 0
 * elsewhere. Weights are row-major [inputs × outputs], the layout of an ONNX MatMul.
 */
export interface RankerNetwork {
  layers: DenseLayer[];
  examination: Float32Array;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function relevanceLogit(network: RankerNetwork, row: ArrayLike<number>): number {
  return applyDenseStack(network.layers, row)[0]!;
}

export function examinationOf(network: RankerNetwork, row: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < network.examination.length; i++) sum += row[i]! * network.examination[i]!;
  return sum;
}

/** The pure-TS forward pass, the reference the ONNX graph is checked against. */
export function clickProbability(network: RankerNetwork, row: ArrayLike<number>): number {
  return sigmoid(relevanceLogit(network, row)) * examinationOf(network, row);
}

export function scoreRowsReference(
  network: RankerNetwork,
  rows: Float32Array,
  count: number,
): Float64Array {
  const dimension = network.examination.length;
  return Float64Array.from({ length: count }, (_, r) =>
    clickProbability(network, rows.subarray(r * dimension, (r + 1) * dimension)),
  );
}
