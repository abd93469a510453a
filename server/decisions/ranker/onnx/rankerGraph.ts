import { ModelProto, ONNX_FLOAT } from '../../../../pipeline/intent/onnx/schema.js';
import type { DenseLayer, RankerNetwork } from '../rankerNetwork.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const RANKER_INPUT = 'features';
export const RANKER_OUTPUT = 'click_probability';

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

const node = (opType: string, input: string[], output: string) => ({
  opType,
  name: output,
  input,
  output: [output],
});

/**
 * features [N, D] → (MatMul W_l → Add b_l → Relu)* → MatMul → Add → Sigmoid = relevance;
 * features → MatMul E = examination; relevance · examination = click_probability [N, 1].
 */
export function rankerToOnnx(network: RankerNetwork, docString = ''): Uint8Array {
  const nodes: object[] = [];
  const initializer: object[] = [];
  let current = RANKER_INPUT;
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
  const dimension = network.examination.length;
  initializer.push(floatTensor('E', [dimension, 1], network.examination));
  nodes.push(node('Sigmoid', [current], 'relevance'));
  nodes.push(node('MatMul', [RANKER_INPUT, 'E'], 'examination'));
  nodes.push(node('Mul', ['relevance', 'examination'], RANKER_OUTPUT));
  const message = ModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: 'onair-ranker',
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: {
      name: 'ranker',
      node: nodes,
      initializer,
      input: [floatValueInfo(RANKER_INPUT, ['N', dimension])],
      output: [floatValueInfo(RANKER_OUTPUT, ['N', 1])],
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

/** Reads the weights back out of a graph written by rankerToOnnx (for the TS reference). */
export function onnxToRanker(bytes: Uint8Array): RankerNetwork {
  const decoded = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as {
    graph: { initializer: DecodedTensor[] };
  };
  const tensors = new Map(decoded.graph.initializer.map((t) => [t.name, t]));
  const layers: DenseLayer[] = [];
  for (let l = 0; tensors.has(`W${l}`); l++) {
    const w = tensors.get(`W${l}`)!;
    const b = tensors.get(`b${l}`);
    if (!b) throw new Error(`the ONNX graph has W${l} but no b${l}`);
    const [inputs, outputs] = w.dims.map(Number) as [number, number];
    layers.push({ inputs, outputs, weights: floatsOf(w), bias: floatsOf(b) });
  }
  const e = tensors.get('E');
  if (!e || layers.length === 0) throw new Error('the ONNX graph is not a ranker network');
  return { layers, examination: floatsOf(e) };
}
