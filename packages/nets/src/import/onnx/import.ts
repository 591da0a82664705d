/**
 * ONNX import: walks the graph from its input, one node (or one matched
 * pattern) at a time, into a NetSpec and PyTorch-layout params. Activations
 * are NCHW in ONNX and NHWC in metanet: the spec's input is (H, W, C), and
 * since our flatten reads (C, H, W), weights after a flatten load unchanged.
 */
import { bufferInfos, layerOutputShape, paramInfos, sizeOf, validateSpec, type Layer, type NetSpec } from '@metanet/spec';
import { UnsupportedOnnxOpError } from '../../errors';
import type { ImportedNet } from '../safetensors';
import { badOnnx, OnnxGraph, type OnnxNode } from './graph';
import type { FlowContext, OnnxContext } from './context';
import { ONNX_OPS, ONNX_PATTERNS } from './index';

/** An imported ONNX model. */
export interface OnnxImport extends ImportedNet {
  /** Things the import changed, e.g. a dropped final softmax. */
  warnings: string[];
}

/** The ONNX op types importOnnx reads, for error messages and docs. */
export const SUPPORTED_ONNX_OPS: readonly string[] = [...ONNX_OPS.keys(), 'Constant', ...ONNX_PATTERNS.map((p) => p.name)];

/** ONNX input dims (N, C, H, W) / (N, T, D) / (N, D) → the spec's input without the batch axis. */
function specInput(graph: OnnxGraph): number[] {
  const { name, dims } = graph.input;
  const rest = dims.slice(1);
  if (dims.length < 2 || dims.length > 4 || rest.some((d) => d === null)) badOnnx(`input ${name} has shape [${dims.map((d) => d ?? '?').join(', ')}]; only (batch, features), (batch, T, D) and (batch, C, H, W) with known sizes are supported`);
  const r = rest as number[];
  return r.length === 3 ? [r[1] as number, r[2] as number, r[0] as number] : r;
}

/** The tensors the importers read must have the sizes the spec's layout gives them (a bias of the wrong length, ...). */
function checkSizes(what: string, infos: readonly { name: string; shape: number[] }[], arrays: readonly Float32Array[]): void {
  if (infos.length !== arrays.length) badOnnx(`the import made ${arrays.length} ${what} tensors, the spec needs ${infos.length}`);
  infos.forEach((info, k) => {
    const n = sizeOf(info.shape);
    if ((arrays[k] as Float32Array).length !== n) badOnnx(`${what} ${info.name} has ${(arrays[k] as Float32Array).length} values in the model, its shape [${info.shape.join(', ')}] needs ${n}`);
  });
}

const unsupported = (node: OnnxNode, reason: string): never => {
  throw new UnsupportedOnnxOpError(node.opType ?? '?', `ONNX node ${JSON.stringify(node.name || node.output[0])} (${node.opType}): ${reason}`);
};

/** Imports an ONNX model (the bytes of a .onnx file) whose graph is a chain of supported ops and residual blocks. */
export function importOnnx(bytes: Uint8Array): OnnxImport {
  const graph = new OnnxGraph(bytes);
  const input = specInput(graph);
  const layers: Layer[] = [];
  const params: Float32Array[] = [];
  const buffers: Float32Array[] = [];
  const warnings: string[] = [];
  let tensor = graph.input.name;
  let shape = input;
  const flow = (): FlowContext => ({
    graph,
    tensor,
    shape,
    push(layer) {
      shape = layerOutputShape(layer, shape, layers.length);
      layers.push(layer);
    },
    params,
    buffers,
    warn: (m) => warnings.push(m),
  });
  for (let steps = 0; tensor !== graph.output; steps++) {
    if (steps > graph.nodes.length) badOnnx('the graph has a cycle');
    const users = graph.consumers(tensor);
    if (users.length === 0) badOnnx(`tensor ${tensor} is used by no node and is not the graph output ${graph.output}`);
    if (users.length > 1) {
      const ctx = flow();
      const next = ONNX_PATTERNS.reduce<string | null>((found, p) => found ?? p.match(ctx), null);
      if (next === null) {
        const ops = users.map((n) => n.opType).join(', ');
        throw new UnsupportedOnnxOpError(ops, `ONNX tensor ${tensor} feeds ${users.length} nodes (${ops}), a branching the spec cannot express; supported branchings: ${ONNX_PATTERNS.map((p) => p.name).join('; ')}`);
      }
      tensor = next;
      continue;
    }
    const node = users[0] as OnnxNode;
    const importer = ONNX_OPS.get(node.opType ?? '');
    if (!importer) return unsupported(node, `op ${node.opType} is not supported; supported: ${SUPPORTED_ONNX_OPS.join(', ')}`);
    const ctx: OnnxContext = {
      ...flow(),
      node,
      last: node.output.includes(graph.output),
      constant(index, what) {
        return graph.constant(node.input[index] ?? undefined) ?? unsupported(node, `its ${what} (input ${index}) must be a constant`);
      },
      unsupported: (reason) => unsupported(node, reason),
    };
    tensor = importer.read(ctx);
  }
  if (layers.length === 0) badOnnx('the graph has no layers metanet can import');
  const spec: NetSpec = validateSpec({ version: 1, input, layers });
  checkSizes('parameter', paramInfos(spec), params);
  checkSizes('buffer', bufferInfos(spec), buffers);
  return { spec, params, buffers, warnings };
}
