import type { DenseLayer } from '../dense/denseLayer.js';
import { ModelProto, ONNX_FLOAT } from './schema.js';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

export function floatTensor(name: string, dims: number[], values: Float32Array) {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, dataType: ONNX_FLOAT, rawData: bytes };
}

export function floatValueInfo(name: string, dims: Array<number | string>) {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: ONNX_FLOAT, shape: { dim } } } };
}

export const graphNode = (opType: string, input: string[], output: string, attribute: object[] = []) => ({
  opType,
  name: output,
  input,
  output: [output],
  attribute,
});

/**
 * input → (MatMul W_l → Add b_l → Relu)* → MatMul → Add, appended to `nodes` and
 * `initializer` (W0, b0, W1, b1, …). Returns the name of the last layer's output.
 */
export function denseGraph(layers: readonly DenseLayer[], input: string, nodes: object[], initializer: object[]): string {
  let current = input;
  layers.forEach((layer, l) => {
    initializer.push(floatTensor(`W${l}`, [layer.inputs, layer.outputs], layer.weights));
    initializer.push(floatTensor(`b${l}`, [layer.outputs], layer.bias));
    nodes.push(graphNode('MatMul', [current, `W${l}`], `matmul${l}`));
    nodes.push(graphNode('Add', [`matmul${l}`, `b${l}`], `dense${l}`));
    current = `dense${l}`;
    if (l < layers.length - 1) {
      nodes.push(graphNode('Relu', [current], `relu${l}`));
      current = `relu${l}`;
    }
  });
  return current;
}

export interface GraphSpec {
  producer: string;
  docString: string;
  name: string;
  nodes: object[];
  initializer: object[];
  input: object;
  output: object;
}

export function encodeModel({ producer, docString, name, nodes, initializer, input, output }: GraphSpec): Uint8Array {
  const message = ModelProto.fromObject({
    irVersion: ONNX_IR_VERSION,
    producerName: producer,
    producerVersion: '1',
    docString,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: { name, node: nodes, initializer, input: [input], output: [output] },
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
  return Float32Array.from({ length: rawData.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** The float initializers of a model, by name, and its dense layers W0/b0, W1/b1, … */
export function decodeDense(bytes: Uint8Array): { layers: DenseLayer[]; floats: (name: string) => Float32Array | undefined } {
  const decoded = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number }) as { graph: { initializer: DecodedTensor[] } };
  const tensors = new Map(decoded.graph.initializer.map((t) => [t.name, t]));
  const layers: DenseLayer[] = [];
  for (let l = 0; tensors.has(`W${l}`); l++) {
    const w = tensors.get(`W${l}`)!;
    const b = tensors.get(`b${l}`);
    if (!b) throw new Error(`the ONNX graph has W${l} but no b${l}`);
    const [inputs, outputs] = w.dims.map(Number) as [number, number];
    layers.push({ inputs, outputs, weights: floatsOf(w), bias: floatsOf(b) });
  }
  return { layers, floats: (name) => { const t = tensors.get(name); return t && floatsOf(t); } };
}
