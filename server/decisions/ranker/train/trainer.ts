import { Adam, adamParam } from '../../../../lib/dense/adam.js';
import { backward, forward, toDenseLayers, trainableLayers, type MlpTrainingOptions, type SparseVector } from '../../../../lib/dense/sparseMlp.js';
import { sigmoid, type DenseLayer, type RankerNetwork } from '../rankerNetwork.js';

/** One logged impression: relevance features (placement one-hots zeroed), placement, click, IPS weight. */
export interface TrainingExample extends SparseVector {
  placement: number;
  clicked: 0 | 1;
  weight: number;
}

/** L2 applies to the relevance weights, not to the examination logits. */
export type TrainerOptions = MlpTrainingOptions;

export interface TrainedRanker {
  layers: DenseLayer[];
  /** Learned P(examined | placement), in CTA_PLACEMENTS order. */
  examination: number[];
}

export { toSparse } from '../../../../lib/dense/sparseMlp.js';

/**
 * Joint maximum likelihood of the position-based click model
 * P(click) = σ(α_placement) · σ(relevance(x)) with IPS-weighted examples and mini-batch Adam.
 * Relevance never sees the placement, so what the placement explains goes to σ(α).
 */
export function trainRankerNetwork(
  examples: readonly TrainingExample[],
  dimension: number,
  placements: number,
  options: TrainerOptions,
): TrainedRanker {
  const layers = trainableLayers([dimension, ...options.hidden, 1], options.random);
  const alpha = adamParam(placements, false);
  const params = [...layers.flatMap((l) => [l.w, l.b]), alpha];
  const adam = new Adam(options.learningRate, options.l2);

  const backprop = (example: TrainingExample, scale: number) => {
    const { out, activations } = forward(layers, example);
    const gamma = sigmoid(out[0]!);
    const theta = sigmoid(alpha.value[example.placement]!);
    const w = example.weight * scale;
    // d(−log-likelihood)/dz and /dα for q = θγ; written out to stay stable near q = 1.
    const notClicked = 1 - theta * gamma;
    const gz = example.clicked ? -w * (1 - gamma) : (w * theta * gamma * (1 - gamma)) / notClicked;
    alpha.grad[example.placement]! += example.clicked
      ? -w * (1 - theta)
      : (w * gamma * theta * (1 - theta)) / notClicked;
    backward(layers, activations, example, Float64Array.of(gz));
  };

  const order = Array.from(examples.keys());
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, options.random);
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      for (const i of batch) backprop(examples[i]!, 1 / batch.length);
      adam.update(params);
    }
  }
  return {
    layers: toDenseLayers(layers),
    examination: Array.from(alpha.value, sigmoid),
  };
}

function shuffleInPlace(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

export function toRankerNetwork(
  trained: TrainedRanker,
  placementFeatures: readonly number[],
  dimension: number,
): RankerNetwork {
  const examination = new Float32Array(dimension);
  const [first, ...rest] = trained.layers;
  const weights = Float32Array.from(first!.weights);
  placementFeatures.forEach((index, p) => {
    examination[index] = trained.examination[p]!;
    // Relevance never saw these inputs (always 0 in training): their weights are exactly 0.
    weights.fill(0, index * first!.outputs, (index + 1) * first!.outputs);
  });
  return { layers: [{ ...first!, weights }, ...rest], examination };
}
