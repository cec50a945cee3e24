/**
 * Builds tiny ONNX models in the test suite itself, so decoders can be checked end to end against a real
 * onnxruntime run with outputs we know exactly. Only the handful of ONNX protobuf fields a Constant-output
 * graph needs are declared (field numbers from onnx/onnx.proto); protobufjs does the wire encoding.
 */
import protobuf from 'protobufjs';

const FLOAT = 1; // TensorProto.DataType.FLOAT

const schema = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
          },
        },
        OperatorSetIdProto: { fields: { domain: { type: 'string', id: 1 }, version: { type: 'int64', id: 2 } } },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            floatData: { rule: 'repeated', type: 'float', id: 4, options: { packed: true } },
            name: { type: 'string', id: 8 },
          },
        },
        ValueInfoProto: { fields: { name: { type: 'string', id: 1 }, type: { type: 'TypeProto', id: 2 } } },
        TypeProto: { fields: { tensorType: { type: 'TensorTypeProto', id: 1 } } },
        TensorTypeProto: { fields: { elemType: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
        TensorShapeProto: { fields: { dim: { rule: 'repeated', type: 'Dimension', id: 1 } } },
        Dimension: { fields: { dimValue: { type: 'int64', id: 1 } } },
      },
    },
  },
};

const ModelProto = protobuf.Root.fromJSON(schema).lookupType('onnx.ModelProto');

function valueInfo(name: string, dims: number[]) {
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((dimValue) => ({ dimValue })) } } } };
}

export interface ConstantModelSpec {
  inputName: string;
  inputDims: number[];
  outputName: string;
  outputDims: number[];
  /** Row-major values of the output tensor; its length must match outputDims. */
  output: number[];
  /** Goes into doc_string: two models with different notes have different bytes (and sha256). */
  note?: string;
}

/**
 * A model whose output is a fixed tensor (Identity of an initializer), whatever the input. The input is still
 * declared, so the runtime checks the tensor the detector feeds it, as it would for a real model.
 */
export function buildConstantModel(spec: ConstantModelSpec): Buffer {
  const expected = spec.outputDims.reduce((a, b) => a * b, 1);
  if (expected !== spec.output.length) throw new Error(`output has ${spec.output.length} values, dims need ${expected}`);
  const message = ModelProto.create({
    irVersion: 8,
    producerName: 'rvm-kiosk-tests',
    docString: spec.note ?? '',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'constant_detections',
      initializer: [{ name: 'known_output', dims: spec.outputDims, dataType: FLOAT, floatData: spec.output }],
      node: [{ name: 'emit', opType: 'Identity', input: ['known_output'], output: [spec.outputName] }],
      input: [valueInfo(spec.inputName, spec.inputDims)],
      output: [valueInfo(spec.outputName, spec.outputDims)],
    },
  });
  return Buffer.from(ModelProto.encode(message).finish());
}

/**
 * YOLOv8-style output `[1, 4 + classes, N]`: column j holds cx, cy, w, h then one score per class.
 * `candidates` are given row-wise for readability and transposed here, as the exporter lays them out.
 */
export function yoloOutput(classes: number, candidates: Array<{ cx: number; cy: number; w: number; h: number; scores: number[] }>): number[] {
  const rows = 4 + classes;
  const n = candidates.length;
  const out = new Array<number>(rows * n).fill(0);
  candidates.forEach((c, j) => {
    const column = [c.cx, c.cy, c.w, c.h, ...c.scores];
    if (column.length !== rows) throw new Error(`candidate ${j} has ${c.scores.length} scores, expected ${classes}`);
    column.forEach((v, r) => (out[r * n + j] = v));
  });
  return out;
}
