/**
 * The ONNX container: decodes a ModelProto with onnx-proto (the official
 * onnx.proto compiled by protobufjs), and indexes its graph for the importers:
 * constant tensors (initializers, Constant nodes, Identity aliases of them) as
 * float32, and who consumes each tensor.
 */
import * as onnxProto from 'onnx-proto';
import { sizeOf } from '@metanet/spec';
import { InvalidNetFileError } from '../../errors';

type OnnxNamespace = typeof onnxProto.onnx;
// onnx-proto is CommonJS (`module.exports = $root`): under Node's ESM loader the namespace sits on `default`.
const ns = onnxProto as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };
const onnx = (ns.onnx ?? ns.default?.onnx) as OnnxNamespace;

/** A decoded node (decoded messages have every repeated field, possibly empty). */
export type OnnxNode = onnxProto.onnx.NodeProto;
type TensorProto = onnxProto.onnx.TensorProto;
type AttributeProto = onnxProto.onnx.AttributeProto;

/** A constant tensor of the graph, converted to float32. */
export interface OnnxConstant {
  dims: number[];
  data: Float32Array;
}

export const badOnnx = (msg: string): never => {
  throw new InvalidNetFileError(`ONNX: ${msg}`);
};

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(String(v)));

/** Float32 values of a TensorProto (FLOAT, DOUBLE, INT32, INT64; raw or typed fields). */
function tensorValues(t: TensorProto, name: string): OnnxConstant {
  const dims = (t.dims ?? []).map(num);
  if (dims.some((d) => !Number.isInteger(d) || d < 0 || d > 1 << 28)) badOnnx(`tensor ${name} has a bad shape [${dims.join(', ')}]`);
  const n = sizeOf(dims);
  if (n > 1 << 28) badOnnx(`tensor ${name} is too large`);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) badOnnx(`tensor ${name} is stored in an external file; save the model with its weights inside (onnx.save(..., save_as_external_data=False))`);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : null;
  const out = new Float32Array(n);
  const type = t.dataType ?? 0;
  const D = onnx.TensorProto.DataType;
  const width: Record<number, number> = { [D.FLOAT]: 4, [D.DOUBLE]: 8, [D.INT32]: 4, [D.INT64]: 8 };
  const w = width[type];
  if (w === undefined) return badOnnx(`tensor ${name} has data type ${D[type] ?? type}; only FLOAT, DOUBLE, INT32 and INT64 are supported`);
  if (raw) {
    if (raw.length !== n * w) badOnnx(`tensor ${name} has ${raw.length} bytes of data, its shape needs ${n * w}`);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) {
      out[i] = type === D.FLOAT ? v.getFloat32(4 * i, true) : type === D.DOUBLE ? v.getFloat64(8 * i, true) : type === D.INT32 ? v.getInt32(4 * i, true) : Number(v.getBigInt64(8 * i, true));
    }
  } else {
    const field: ArrayLike<unknown> = (type === D.FLOAT ? t.floatData : type === D.DOUBLE ? t.doubleData : type === D.INT32 ? t.int32Data : t.int64Data) ?? [];
    if (field.length !== n) badOnnx(`tensor ${name} has ${field.length} values, its shape needs ${n}`);
    for (let i = 0; i < n; i++) out[i] = num(field[i]);
  }
  if (type === D.FLOAT || type === D.DOUBLE) {
    for (let i = 0; i < n; i++) if (!Number.isFinite(out[i])) badOnnx(`tensor ${name} has a non-finite value (${out[i]}) at index ${i}`);
  }
  return { dims, data: out };
}

/** A decoded ONNX graph with the lookups the importers need. */
export class OnnxGraph {
  readonly nodes: OnnxNode[];
  readonly input: { name: string; dims: (number | null)[] };
  readonly output: string;
  readonly opset: number;
  private readonly constants = new Map<string, OnnxConstant>();
  private readonly users = new Map<string, OnnxNode[]>();
  private readonly producers = new Map<string, OnnxNode>();

  constructor(bytes: Uint8Array) {
    let model: onnxProto.onnx.ModelProto | undefined;
    try {
      model = onnx.ModelProto.decode(bytes);
    } catch (e) {
      badOnnx(`not a valid ONNX model (${(e as Error).message.split('\n')[0]}); pass the bytes of a .onnx file`);
    }
    const g = (model?.graph ?? badOnnx('the model has no graph')) as onnxProto.onnx.GraphProto;
    model = model as onnxProto.onnx.ModelProto;
    this.opset = num(model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? 0);
    for (const t of g.initializer as TensorProto[]) this.constants.set(t.name, tensorValues(t, t.name));
    const nodes: OnnxNode[] = [];
    for (const n of g.node as OnnxNode[]) {
      if (n.opType === 'Constant') {
        const t = (n.attribute as AttributeProto[]).find((a) => a.name === 'value')?.t;
        if (!t) badOnnx(`Constant ${n.output[0]} has no tensor "value"; only tensor constants are supported`);
        this.constants.set(n.output[0] as string, tensorValues(t as TensorProto, n.output[0] as string));
      } else if (n.opType === 'Identity' && this.constants.has(n.input[0] as string)) {
        this.constants.set(n.output[0] as string, this.constants.get(n.input[0] as string) as OnnxConstant);
      } else nodes.push(n);
    }
    this.nodes = nodes;
    for (const n of nodes) {
      for (const i of n.input) if (i && !this.constants.has(i)) this.users.set(i, [...(this.users.get(i) ?? []), n]);
      for (const o of n.output) this.producers.set(o, n);
    }
    const inputs = (g.input as onnxProto.onnx.ValueInfoProto[]).filter((i) => !this.constants.has(i.name));
    if (inputs.length !== 1) badOnnx(`the graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); metanet nets take exactly one`);
    const inp = inputs[0] as onnxProto.onnx.ValueInfoProto;
    const dims = inp.type?.tensorType?.shape?.dim ?? badOnnx(`input ${inp.name} has no tensor shape`);
    this.input = { name: inp.name, dims: dims.map((d) => (d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0 ? num(d.dimValue) : null)) };
    if ((g.output as unknown[]).length !== 1) badOnnx(`the graph has ${g.output.length} outputs; metanet nets have exactly one`);
    this.output = (g.output[0] as onnxProto.onnx.ValueInfoProto).name;
  }

  /** The nodes reading tensor `name` (constants excluded). */
  consumers(name: string): OnnxNode[] {
    return this.users.get(name) ?? [];
  }

  /** The node computing tensor `name`, or undefined for the input and constants. */
  producer(name: string): OnnxNode | undefined {
    return this.producers.get(name);
  }

  /** The constant tensor `name`, or undefined when it is computed. */
  constant(name: string | undefined): OnnxConstant | undefined {
    return name ? this.constants.get(name) : undefined;
  }
}

/** One attribute of a node, or undefined. */
export function attribute(node: OnnxNode, name: string): AttributeProto | undefined {
  return (node.attribute as AttributeProto[]).find((a) => a.name === name);
}

/** An INT attribute, or `fallback`. */
export function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? num(a.i) : fallback;
}

/** An INTS attribute, or `fallback`. */
export function attrInts(node: OnnxNode, name: string, fallback: number[]): number[] {
  const a = attribute(node, name);
  return a ? (a.ints ?? []).map(num) : fallback;
}

/** A FLOAT attribute, or `fallback`. */
export function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const a = attribute(node, name);
  return a ? num(a.f) : fallback;
}

/** A STRING attribute, or `fallback`. */
export function attrString(node: OnnxNode, name: string, fallback: string): string {
  const a = attribute(node, name);
  return a?.s ? new TextDecoder().decode(a.s) : fallback;
}
