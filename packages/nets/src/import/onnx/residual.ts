/**
 * ResNet BasicBlock (our `residual` layer) matched at the fork where a block's
 * input feeds both its first conv and its shortcut:
 * Conv3×3(s) [BN] Relu Conv3×3 [BN] Add(shortcut) Relu, the shortcut being the
 * input itself or Conv1×1(s) [BN]. Exporters in eval mode fold each BN into
 * its conv (a conv with a bias and no BN); the bias is then carried by a BN
 * with γ = 1, β = bias, mean 0, var 1 − ε, which computes the same function.
 */
import type { ResidualBlockLayer } from '@metanet/spec';
import { attrFloat, attrInt, type OnnxConstant, type OnnxGraph, type OnnxNode } from './graph';
import { output, soleConsumer, type FlowContext, type OnnxPattern } from './context';
import { convGeometryOf } from './conv';

/** The eps our residual block's batch norms use (PyTorch's default). */
const BLOCK_EPS = 1e-5;

interface ConvBn {
  weight: OnnxConstant;
  stride: number;
  padding: 'same' | number;
  kernel: number;
  /** γ, β, running mean, running var for eps BLOCK_EPS. */
  norm: [Float32Array, Float32Array, Float32Array, Float32Array];
  out: string;
}

/** A bias-free-or-not Conv with an optional BN after it, as one conv + BN, or null when `node` is not one. */
function convBn(graph: OnnxGraph, node: OnnxNode | undefined): ConvBn | null {
  if (node?.opType !== 'Conv' || attrInt(node, 'group', 1) !== 1) return null;
  const weight = graph.constant(node.input[1] ?? undefined);
  if (!weight || weight.dims.length !== 4 || weight.dims[2] !== weight.dims[3]) return null;
  const geo = convGeometryOf(node, weight.dims.slice(2));
  if (typeof geo === 'string' || typeof geo.stride !== 'number') return null;
  const c = weight.dims[0] as number;
  const bias = node.input[2] ? graph.constant(node.input[2]) : undefined;
  if (node.input[2] && !bias) return null;
  const b = bias?.data ?? new Float32Array(c);
  const bn = soleConsumer(graph, output(node), 'BatchNormalization');
  let norm: ConvBn['norm'];
  if (bn) {
    const t = [1, 2, 3, 4].map((i) => graph.constant(bn.input[i] ?? undefined));
    if (t.some((x) => !x || x.data.length !== c)) return null;
    const [g, beta, mean, v] = t.map((x) => (x as OnnxConstant).data) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const eps = attrFloat(bn, 'epsilon', 1e-5);
    const shift = Math.abs(eps - BLOCK_EPS) < 1e-9 ? 0 : eps - BLOCK_EPS;
    // BN(z + b) = BN with mean − b applied to z.
    norm = [g, beta, mean.map((m, i) => m - (b[i] as number)), shift ? v.map((x) => x + shift) : v];
  } else {
    norm = [new Float32Array(c).fill(1), Float32Array.from(b), new Float32Array(c), new Float32Array(c).fill(1 - BLOCK_EPS)];
  }
  return { weight, stride: geo.stride, padding: geo.padding, kernel: weight.dims[2] as number, norm, out: output(bn ?? node) };
}

/** The block whose first conv is `first`, or null. */
function block(ctx: FlowContext, first: OnnxNode): { layer: ResidualBlockLayer; parts: ConvBn[]; out: string } | null {
  const { graph, tensor } = ctx;
  const c1 = convBn(graph, first);
  if (!c1 || c1.kernel !== 3 || c1.padding !== 1) return null;
  const relu = soleConsumer(graph, c1.out, 'Relu');
  const c2 = relu ? convBn(graph, soleConsumer(graph, output(relu), 'Conv')) : null;
  if (!c2 || c2.kernel !== 3 || c2.padding !== 1 || c2.stride !== 1) return null;
  const add = soleConsumer(graph, c2.out, 'Add');
  if (!add || add.input.length !== 2) return null;
  const shortcut = add.input[0] === c2.out ? add.input[1] : add.input[0];
  const others = graph.consumers(tensor).filter((n) => n !== first);
  if (others.length !== 1) return null;
  const parts = [c1, c2];
  if (shortcut === tensor) {
    if (others[0] !== add) return null;
  } else {
    const d = convBn(graph, others[0]);
    if (!d || d.kernel !== 1 || d.padding !== 0 || d.stride !== c1.stride || d.out !== shortcut) return null;
    parts.push(d);
  }
  const last = soleConsumer(graph, output(add), 'Relu');
  if (!last) return null;
  const filters = c1.weight.dims[0] as number;
  return { layer: { type: 'residual', filters, stride: c1.stride, shortcut: parts.length === 3 ? 'conv1x1' : 'identity' }, parts, out: output(last) };
}

export const onnxResidual: OnnxPattern = {
  name: 'residual block (Conv, BN, Relu, Conv, BN, Add, Relu)',
  match(ctx) {
    if (ctx.shape.length !== 3) return null;
    for (const first of ctx.graph.consumers(ctx.tensor)) {
      const b = block(ctx, first);
      if (!b) continue;
      ctx.push(b.layer);
      // Our order: each conv's weight then its BN's γ, β (params); each BN's running mean, var (buffers).
      for (const p of b.parts) {
        ctx.params.push(p.weight.data, p.norm[0], p.norm[1]);
        ctx.buffers.push(p.norm[2], p.norm[3]);
      }
      return b.out;
    }
    return null;
  },
};
