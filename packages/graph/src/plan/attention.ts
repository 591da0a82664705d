import type { AttentionLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** q, k, v and output neurons with their projections, plus one node per head tied to its q/k/v neurons by parameter-free edges. */
export const attention: LayerPlanner<AttentionLayer> = (layer, ctx) => {
  const x = ctx.current;
  const d = x.count;
  const bias = layer.bias !== false;
  const q = ctx.group(d, ++ctx.depth, 'hidden', 'q');
  ctx.matrix('attn_q', x, q);
  if (bias) ctx.vector('bias', ctx.single(ctx.depth, 'bias', 'q.bias'), q);
  const k = ctx.group(d, ctx.depth, 'hidden', 'k');
  ctx.matrix('attn_k', x, k);
  if (bias) ctx.vector('bias', ctx.single(ctx.depth, 'bias', 'k.bias'), k);
  const heads = ctx.group(layer.heads, ++ctx.depth, 'head', 'heads');
  // V's nodes stand for the values as mixed by their head, so they sit after the heads.
  const v = ctx.group(d, ++ctx.depth, 'hidden', 'v');
  ctx.matrix('attn_v', x, v);
  if (bias) ctx.vector('bias', ctx.single(ctx.depth, 'bias', 'v.bias'), v);
  const o = ctx.group(d, ++ctx.depth, 'hidden', 'out');
  ctx.matrix('attn_o', v, o);
  if (bias) ctx.vector('bias', ctx.single(ctx.depth, 'bias'), o);
  const size = d / layer.heads;
  ctx.struct({ kind: 'head', members: q, heads, size, toHead: true });
  ctx.struct({ kind: 'head', members: k, heads, size, toHead: true });
  ctx.struct({ kind: 'head', members: v, heads, size, toHead: false });
  ctx.current = o;
};
