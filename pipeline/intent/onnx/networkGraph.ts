import { decodeDense, denseGraph, encodeModel, floatTensor, floatValueInfo, graphNode } from '../../../lib/onnx/graph.js';
import { ONNX_ATTRIBUTE_INT } from '../../../lib/onnx/schema.js';
import type { IntentNetwork } from '../network.js';

export { ONNX_IR_VERSION, ONNX_OPSET } from '../../../lib/onnx/graph.js';
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probabilities';

/**
 * features [N, D] → (MatMul W_l → Add b_l → Relu)* → MatMul → Add → Div T → Softmax →
 * probabilities [N, C]. Initializers are named W0, b0, W1, b1, … and T.
 */
export function networkToOnnx(
  network: IntentNetwork,
  docString = '',
  /** The graph's producer and name; the safety model reuses this graph under its own. */
  names: { producer: string; name: string } = { producer: 'onair-intent', name: 'intent' },
): Uint8Array {
  const nodes: object[] = [];
  const initializer: object[] = [];
  const logits = denseGraph(network.layers, INPUT_NAME, nodes, initializer);
  initializer.push(floatTensor('T', [], Float32Array.of(network.temperature)));
  nodes.push(graphNode('Div', [logits, 'T'], 'scaled_logits'));
  nodes.push(graphNode('Softmax', ['scaled_logits'], OUTPUT_NAME, [{ name: 'axis', type: ONNX_ATTRIBUTE_INT, i: -1 }]));
  return encodeModel({
    producer: names.producer,
    docString,
    name: names.name,
    nodes,
    initializer,
    input: floatValueInfo(INPUT_NAME, ['N', network.layers[0]!.inputs]),
    output: floatValueInfo(OUTPUT_NAME, ['N', network.layers.at(-1)!.outputs]),
  });
}

/** Reads the weights back out of a graph written by networkToOnnx (for the JS baseline). */
export function onnxToNetwork(bytes: Uint8Array): IntentNetwork {
  const { layers, floats } = decodeDense(bytes);
  const temperature = floats('T');
  if (!temperature || layers.length === 0) throw new Error('the ONNX graph is not an intent network');
  return { layers, temperature: temperature[0]! };
}
