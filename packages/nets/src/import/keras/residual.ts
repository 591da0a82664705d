/**
 * A Keras ResNet BasicBlock (matched by functional.ts) as our `residual`
 * layer. Conv biases fold into the BN after them (or into a BN with γ = 1,
 * mean 0, var 1 − ε when a conv has none), and Keras's BN epsilon (1e-3 by
 * default) into the running variance, since our block's norms use 1e-5.
 */
import { UnsupportedLayerError } from '@metanet/spec';
import type { KerasContext, KerasImporter, Obj } from './context';

const BLOCK_EPS = 1e-5;

/** The conv weight in our layout, then γ, β, mean, var for our block's eps. */
function convBn(ctx: KerasContext, conv: Obj, bn: Obj | undefined): { weight: Float32Array; norm: Float32Array[]; filters: number; kernel: number; stride: number } {
  const cfg = conv.config as Obj;
  const name = cfg.name as string;
  const k = ctx.weightOf(name, 'kernel');
  const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
  const weight = new Float32Array(k.data.length);
  for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) {
    weight[((o * cin + c) * kh + a) * kw + b] = k.data[((a * kw + b) * cin + c) * cout + o] as number;
  }
  const bias = cfg.use_bias === false ? new Float32Array(cout) : ctx.weightOf(name, 'bias').data;
  const s = cfg.strides ?? 1;
  const stride = Array.isArray(s) ? (s[0] as number) : (s as number);
  if (Array.isArray(s) && s[0] !== s[1]) throw new UnsupportedLayerError(`tf.LayersModel layer ${name}: a residual block's strides must be equal`);
  if (!bn) return { weight, norm: [new Float32Array(cout).fill(1), Float32Array.from(bias), new Float32Array(cout), new Float32Array(cout).fill(1 - BLOCK_EPS)], filters: cout, kernel: kh, stride };
  const bcfg = bn.config as Obj;
  const bname = bcfg.name as string;
  const eps = typeof bcfg.epsilon === 'number' ? bcfg.epsilon : 1e-3;
  const gamma = bcfg.scale === false ? new Float32Array(cout).fill(1) : ctx.weightOf(bname, 'gamma').data;
  const beta = bcfg.center === false ? new Float32Array(cout) : ctx.weightOf(bname, 'beta').data;
  const mean = ctx.weightOf(bname, 'moving_mean').data.map((m, i) => m - (bias[i] as number));
  const variance = ctx.weightOf(bname, 'moving_variance').data.map((v) => v + eps - BLOCK_EPS);
  return { weight, norm: [gamma, beta, mean, variance], filters: cout, kernel: kh, stride };
}

export const kerasResidual: KerasImporter = {
  classes: ['ResidualBlock'],
  read(ctx) {
    const p = ctx.cfg as Record<string, Obj | undefined>;
    const parts = [convBn(ctx, p.conv1 as Obj, p.bn1), convBn(ctx, p.conv2 as Obj, p.bn2), ...(p.down ? [convBn(ctx, p.down, p.downBn)] : [])];
    const [c1, c2, d] = parts as [(typeof parts)[0], (typeof parts)[0], (typeof parts)[0] | undefined];
    const same = (c: Obj | undefined): boolean => ((c?.config as Obj | undefined)?.padding ?? 'valid') === 'same';
    if (c1.kernel !== 3 || c2.kernel !== 3 || c2.stride !== 1 || !same(p.conv1) || !same(p.conv2) || (d && (d.kernel !== 1 || d.stride !== c1.stride))) {
      throw new UnsupportedLayerError(`tf.LayersModel block ${String(ctx.cfg.name)}: only 3×3 'same' convs and a 1×1 projection of the same stride map to a residual block`);
    }
    // 'same' with stride 2 pads an even side only after (TensorFlow), ours pads both: equal only for odd sizes.
    if (c1.stride !== 1 && ((ctx.shape[0] as number) % 2 === 0 || (ctx.shape[1] as number) % 2 === 0)) {
      throw new UnsupportedLayerError(`tf.LayersModel block ${String(ctx.cfg.name)}: a stride-${c1.stride} 'same' conv on an even ${ctx.shape[0]}×${ctx.shape[1]} map pads differently from PyTorch's padding 1`);
    }
    ctx.push({ type: 'residual', filters: c1.filters, stride: c1.stride, shortcut: d ? 'conv1x1' : 'identity' });
    for (const part of parts) {
      ctx.params.push(part.weight, part.norm[0] as Float32Array, part.norm[1] as Float32Array);
      ctx.buffers.push(part.norm[2] as Float32Array, part.norm[3] as Float32Array);
    }
  },
};
