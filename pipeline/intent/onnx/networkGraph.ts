import type { IntentNetwork } from '../network.js';
import { ModelProto, ONNX_ATTRIBUTE_INT, ONNX_FLOAT } from './schema.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probabilities';

function floatTensor(name: string, dims: number[], values: Float32Array) {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, dataType: ONNX_FLOAT, rawData: bytes };
}

function floatValueInfo(name: string, dims: Array<number | string>) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim } } } };
}

const node = (opType: string, input: string[], output: string, attribute: object[] = []) => ({
  opType,
  name: output,
  input,
  output: [output],
  attribute,
});

/**
 * features [N, D] → (MatMul W_l → Add b_l → Relu)* → MatMul → Add → Div T → Softmax →
 * probabilities [N, C]. Initializers are named W0, b0, W1, b1, … and T.
 */
export function networkToOnnx(network: IntentNetwork, docString = ''): Uint8Array {
  const nodes: object[] = [];
  const initializer: object[] = [];
  let current = INPUT_NAME;
  network.layers.forEach((layer, l) => {
    initializer.push(floatTensor(`W${l}`, [layer.inputs, layer.outputs], layer.weights));
    initializer.push(floatTensor(`b${l}`, [layer.outputs], layer.bias));
    nodes.push(node('MatMul', [current, `W${l}`], `matmul${l}`));
    nodes.push(node('Add', [`matmul${l}`, `b${l}`], `dense${l}`));
    current = `dense${l}`;
    if (l < network.layers.length - 1) {
      nodes.push(node('Relu', [current], `relu${l}`));
      current = `relu${l}`;
    }
  });
  initializer.push(floatTensor('T', [], Float32Array.of(network.temperature)));
  nodes.push(node('Div', [current, 'T'], 'scaled_logits'));
  nodes.push(
    node('Softmax', ['scaled_logits'], OUTPUT_NAME, [
      { name: 'axis', type: ONNX_ATTRIBUTE_INT, i: -1 },
    ]),
  );
  const first = network.layers[0]!;
  const last = network.layers.at(-1)!;
  const message = ModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: 'onair-intent',
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'intent',
      node: nodes,
      initializer,
      input: [floatValueInfo(INPUT_NAME, ['N', first.inputs])],
      output: [floatValueInfo(OUTPUT_NAME, ['N', last.outputs])],
    },
  });
  return ModelProto.encode(message).finish();
}

interface DecodedTensor {
  name: string;
  dims: number[];
  rawData: Uint8Array;
}

function floatsOf({ rawData }: DecodedTensor): Float32Array {
  const view = new DataView(rawData.buffer, rawData.byteOffset, rawData.byteLength);
  return Float32Array.from({ length: rawData.byteLength / 4 }, (_, i) =>
    view.getFloat32(i * 4, true),
  );
}

/** Reads the weights back out of a graph written by networkToOnnx (for the JS baseline). */
export function onnxToNetwork(bytes: Uint8Array): IntentNetwork {
  const decoded = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as {
    graph: { initializer: DecodedTensor[] };
  };
  const tensors = new Map(decoded.graph.initializer.map((t) => [t.name, t]));
  const layers = [];
  for (let l = 0; tensors.has(`W${l}`); l++) {
    const w = tensors.get(`W${l}`)!;
    const b = tensors.get(`b${l}`);
    if (!b) throw new Error(`the ONNX graph has W${l} but no b${l}`);
    const [inputs, outputs] = w.dims.map(Number) as [number, number];
    layers.push({ inputs, outputs, weights: floatsOf(w), bias: floatsOf(b) });
  }
  const t = tensors.get('T');
  if (!t || layers.length === 0) throw new Error('the ONNX graph is not an intent network');
  return { layers, temperature: floatsOf(t)[0]! };
}
