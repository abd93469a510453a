import { Adam } from '../../../lib/dense/adam.js';
import { backpropSoftmax, toDenseLayers, trainableLayers, type MlpTrainingOptions, type SparseVector } from '../../../lib/dense/sparseMlp.js';
export { toSparse } from '../../../lib/dense/sparseMlp.js';
import { shuffled } from '../../../lib/prng.js';
import type { IntentNetwork } from '../network.js';

export type { SparseVector };

export type DenseTrainingOptions = MlpTrainingOptions;

/** Mini-batch Adam on the cross-entropy loss; the first layer reads sparse inputs. */
export function trainDenseNetwork(
  inputs: readonly SparseVector[],
  labels: readonly number[],
  dimension: number,
  classes: number,
  options: DenseTrainingOptions,
): IntentNetwork {
  const layers = trainableLayers([dimension, ...options.hidden, classes], options.random);
  const params = layers.flatMap((l) => [l.w, l.b]);
  const adam = new Adam(options.learningRate, options.l2);

  const order = inputs.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const epochOrder = shuffled(order, options.random);
    for (let start = 0; start < epochOrder.length; start += options.batchSize) {
      const batch = epochOrder.slice(start, start + options.batchSize);
      for (const index of batch) backpropSoftmax(layers, inputs[index]!, labels[index]!, 1 / batch.length);
      adam.update(params);
    }
  }
  return { layers: toDenseLayers(layers), temperature: 1 };
}
