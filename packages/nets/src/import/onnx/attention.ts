/**
 * Multi-head self-attention (our `attention` layer) matched where its input
 * feeds the q, k and v projections (MatMul by a constant (D, D), plus a bias
 * Add): softmax(q·kᵀ / √dh)·v with heads split and merged by reshapes and
 * transposes, then the out projection. The head count comes from the scale
 * (Div by √dh or Mul by 1/√dh), as the reshape sizes are usually computed
 * from Shape nodes. Masks or anything beyond this form do not match.
 */
import { otherConstant, output, scalar, soleConsumer, type FlowContext, type OnnxPattern } from './context';
import type { OnnxGraph, OnnxNode } from './graph';

/** Nodes that only move heads around on the path between the projections and the attention products. */
const PLUMBING = new Set(['Reshape', 'Transpose']);

interface Projection {
  matmul: OnnxNode;
  weight: Float32Array;
  bias?: Float32Array;
  out: string;
}

/** A MatMul of `x` by a constant (D, D) and its bias Add, in our (out, in) layout. */
function projection(graph: OnnxGraph, node: OnnxNode | undefined, x: string, d: number): Projection | null {
  if (node?.opType !== 'MatMul' || node.input[0] !== x) return null;
  const w = graph.constant(node.input[1] ?? undefined);
  if (!w || w.dims.length !== 2 || w.dims[0] !== d || w.dims[1] !== d) return null;
  const weight = new Float32Array(d * d);
  for (let o = 0; o < d; o++) for (let i = 0; i < d; i++) weight[o * d + i] = w.data[i * d + o] as number;
  const add = soleConsumer(graph, output(node), 'Add');
  const bias = add ? otherConstant(graph, add, output(node)) : undefined;
  return bias && bias.data.length === d ? { matmul: node, weight, bias: bias.data, out: output(add as OnnxNode) } : { matmul: node, weight, out: output(node) };
}

/** Follows reshapes and transposes back from `tensor` to the projection that produced it. */
function source(graph: OnnxGraph, tensor: string | undefined, projections: Projection[]): Projection | undefined {
  let t = tensor;
  for (let i = 0; i < 8 && t; i++) {
    const hit = projections.find((p) => p.out === t);
    if (hit) return hit;
    const n = graph.producer(t);
    if (!n || !PLUMBING.has(n.opType)) return undefined;
    t = n.input[0] ?? undefined;
  }
  return undefined;
}

/** Follows the sole-consumer chain of reshapes and transposes forward from `tensor`. */
function forward(graph: OnnxGraph, tensor: string): string {
  let t = tensor;
  for (let i = 0; i < 8; i++) {
    const users = graph.consumers(t);
    if (users.length !== 1 || !PLUMBING.has(users[0]?.opType ?? '')) return t;
    t = output(users[0] as OnnxNode);
  }
  return t;
}

function match(ctx: FlowContext): string | null {
  const { graph, tensor: x, shape } = ctx;
  if (shape.length !== 2) return null;
  const d = shape[1] as number;
  const users = graph.consumers(x);
  const projections = users.map((n) => projection(graph, n, x, d)).filter((p): p is Projection => p !== null);
  if (projections.length !== 3 || users.some((n) => n.opType !== 'Shape' && !projections.some((p) => p.matmul === n))) return null;
  // The scores product q·kᵀ, its scale, the softmax, and the product with v.
  const scores = graph.nodes.find((n) => n.opType === 'MatMul' && source(graph, n.input[0], projections) !== undefined && source(graph, n.input[1], projections) !== undefined);
  if (!scores) return null;
  const scale = soleConsumer(graph, output(scores), 'Div') ?? soleConsumer(graph, output(scores), 'Mul');
  const c = scale ? scalar(otherConstant(graph, scale, output(scores))) : undefined;
  const softmax = scale && soleConsumer(graph, output(scale), 'Softmax');
  const mixed = softmax && soleConsumer(graph, output(softmax), 'MatMul');
  if (!c || !softmax || !mixed || mixed.input[0] !== output(softmax)) return null;
  const q = source(graph, scores.input[0], projections);
  const k = source(graph, scores.input[1], projections);
  const v = source(graph, mixed.input[1], projections);
  if (!q || !k || !v || new Set([q, k, v]).size !== 3) return null;
  const dh = Math.round(scale?.opType === 'Div' ? c * c : 1 / (c * c));
  if (dh < 1 || d % dh !== 0 || Math.abs((scale?.opType === 'Div' ? c : 1 / c) - Math.sqrt(dh)) > 1e-4 * Math.sqrt(dh)) return null;
  const merged = forward(graph, output(mixed));
  const out = projection(graph, soleConsumer(graph, merged, 'MatMul'), merged, d);
  const all = [q, k, v, out];
  if (!out || !(all.every((p) => p?.bias) || all.every((p) => !p?.bias))) return null;
  ctx.push({ type: 'attention', heads: d / dh, bias: !!q.bias });
  for (const p of all as Projection[]) ctx.params.push(p.weight, ...(p.bias ? [p.bias] : []));
  return out.out;
}

export const onnxAttention: OnnxPattern = { name: 'self-attention (q, k, v MatMul projections, scaled softmax, out MatMul)', match };
