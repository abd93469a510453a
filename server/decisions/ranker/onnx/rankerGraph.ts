import { decodeDense, denseGraph, encodeModel, floatTensor, floatValueInfo, graphNode } from '../../../../lib/onnx/graph.js';
import type { RankerNetwork } from '../rankerNetwork.js';

export const RANKER_INPUT = 'features';
export const RANKER_OUTPUT = 'click_probability';

/**
 * features [N, D] → (MatMul W_l → Add b_l → Relu)* → MatMul → Add → Sigmoid = relevance;
 * features → MatMul E = examination; relevance · examination = click_probability [N, 1].
 */
export function rankerToOnnx(network: RankerNetwork, docString = ''): Uint8Array {
  const nodes: object[] = [];
  const initializer: object[] = [];
  const logit = denseGraph(network.layers, RANKER_INPUT, nodes, initializer);
  const dimension = network.examination.length;
  initializer.push(floatTensor('E', [dimension, 1], network.examination));
  nodes.push(graphNode('Sigmoid', [logit], 'relevance'));
  nodes.push(graphNode('MatMul', [RANKER_INPUT, 'E'], 'examination'));
  nodes.push(graphNode('Mul', ['relevance', 'examination'], RANKER_OUTPUT));
  return encodeModel({
    producer: 'onair-ranker',
    docString,
    name: 'ranker',
    nodes,
    initializer,
    input: floatValueInfo(RANKER_INPUT, ['N', dimension]),
    output: floatValueInfo(RANKER_OUTPUT, ['N', 1]),
  });
}

/** Reads the weights back out of a graph written by rankerToOnnx (for the TS reference). */
export function onnxToRanker(bytes: Uint8Array): RankerNetwork {
  const { layers, floats } = decodeDense(bytes);
  const examination = floats('E');
  if (!examination || layers.length === 0) throw new Error('the ONNX graph is not a ranker network');
  return { layers, examination };
}
