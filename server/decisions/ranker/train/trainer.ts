import { sigmoid, type DenseLayer, type RankerNetwork } from '../rankerNetwork.js';

/** One logged impression: relevance features (placement one-hots zeroed), placement, click, IPS weight. */
export interface TrainingExample {
  indices: Uint16Array;
  values: Float64Array;
  placement: number;
  clicked: 0 | 1;
  weight: number;
}

export interface TrainerOptions {
  /** Hidden layer widths: [] is logistic regression, [16] a small MLP. */
  hidden: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** L2 penalty on the weights (not biases, not the examination logits). */
  l2: number;
  random: () => number;
}

export interface TrainedRanker {
  layers: DenseLayer[];
  /** Learned P(examined | placement), in CTA_PLACEMENTS order. */
  examination: number[];
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

export function toSparse(row: Float32Array): { indices: Uint16Array; values: Float64Array } {
  const indices: number[] = [];
  row.forEach((v, i) => v !== 0 && indices.push(i));
  return { indices: Uint16Array.from(indices), values: Float64Array.from(indices, (i) => row[i]!) };
}

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
  const sizes = [dimension, ...options.hidden, 1];
  const layers = sizes.slice(1).map((outputs, l) => {
    const limit = options.hidden.length ? Math.sqrt(6 / sizes[l]!) : 0;
    return {
      inputs: sizes[l]!,
      outputs,
      w: param(sizes[l]! * outputs, true, () => (options.random() * 2 - 1) * limit),
      b: param(outputs, false),
    };
  });
  const alpha = param(placements, false);
  const params = [...layers.flatMap((l) => [l.w, l.b]), alpha];
  const adam = { step: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

  const backprop = (example: TrainingExample, scale: number) => {
    const activations: Float64Array[] = [];
    let out = Float64Array.from(layers[0]!.b.value);
    const first = layers[0]!;
    for (let k = 0; k < example.indices.length; k++) {
      const row = example.indices[k]! * first.outputs;
      const x = example.values[k]!;
      for (let o = 0; o < first.outputs; o++) out[o]! += x * first.w.value[row + o]!;
    }
    for (let l = 1; l < layers.length; l++) {
      const input = out.map((v) => Math.max(0, v));
      activations.push(input);
      const layer = layers[l]!;
      out = Float64Array.from(layer.b.value);
      for (let i = 0; i < layer.inputs; i++) {
        const x = input[i]!;
        if (x === 0) continue;
        for (let o = 0; o < layer.outputs; o++)
          out[o]! += x * layer.w.value[i * layer.outputs + o]!;
      }
    }
    const gamma = sigmoid(out[0]!);
    const theta = sigmoid(alpha.value[example.placement]!);
    const w = example.weight * scale;
    // d(−log-likelihood)/dz and /dα for q = θγ; written out to stay stable near q = 1.
    const notClicked = 1 - theta * gamma;
    const gz = example.clicked ? -w * (1 - gamma) : (w * theta * gamma * (1 - gamma)) / notClicked;
    alpha.grad[example.placement]! += example.clicked
      ? -w * (1 - theta)
      : (w * gamma * theta * (1 - theta)) / notClicked;
    let delta = Float64Array.of(gz);
    for (let l = layers.length - 1; l >= 1; l--) {
      const layer = layers[l]!;
      const input = activations[l - 1]!;
      const back = new Float64Array(layer.inputs);
      for (let i = 0; i < layer.inputs; i++) {
        let sum = 0;
        for (let o = 0; o < layer.outputs; o++) {
          layer.w.grad[i * layer.outputs + o]! += input[i]! * delta[o]!;
          sum += layer.w.value[i * layer.outputs + o]! * delta[o]!;
        }
        back[i] = input[i]! > 0 ? sum : 0;
      }
      for (let o = 0; o < layer.outputs; o++) layer.b.grad[o]! += delta[o]!;
      delta = back;
    }
    for (let k = 0; k < example.indices.length; k++) {
      const row = example.indices[k]! * first.outputs;
      const x = example.values[k]!;
      for (let o = 0; o < first.outputs; o++) first.w.grad[row + o]! += x * delta[o]!;
    }
    for (let o = 0; o < first.outputs; o++) first.b.grad[o]! += delta[o]!;
  };

  const update = () => {
    adam.step++;
    const lr =
      (options.learningRate * Math.sqrt(1 - adam.beta2 ** adam.step)) /
      (1 - adam.beta1 ** adam.step);
    for (const p of params) {
      for (let i = 0; i < p.value.length; i++) {
        const g = p.grad[i]! + (p.decay ? options.l2 * p.value[i]! : 0);
        p.m[i] = adam.beta1 * p.m[i]! + (1 - adam.beta1) * g;
        p.v[i] = adam.beta2 * p.v[i]! + (1 - adam.beta2) * g * g;
        p.value[i]! -= (lr * p.m[i]!) / (Math.sqrt(p.v[i]!) + adam.epsilon);
        p.grad[i] = 0;
      }
    }
  };

  const order = Array.from(examples.keys());
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, options.random);
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      for (const i of batch) backprop(examples[i]!, 1 / batch.length);
      update();
    }
  }
  return {
    layers: layers.map((l) => ({
      inputs: l.inputs,
      outputs: l.outputs,
      weights: Float32Array.from(l.w.value),
      bias: Float32Array.from(l.b.value),
    })),
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
