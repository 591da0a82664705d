import { UnsupportedLayerError } from '@metanet/spec';
import { pair, type KerasImporter } from './context';

/** Keras Conv2D (channels_last, no dilation): kernel (kh, kw, in, out) → weight (out, in, kh, kw). */
export const kerasConv2d: KerasImporter = {
  classes: ['Conv2D'],
  read(ctx) {
    const { cfg, index: i } = ctx;
    if ((cfg.data_format ?? 'channels_last') !== 'channels_last') throw new UnsupportedLayerError(`tf.LayersModel layer ${i}: only channels_last Conv2D is supported`);
    const [dh, dw] = pair(ctx, cfg.dilation_rate ?? 1, `layer ${i} dilation_rate`);
    if (dh !== 1 || dw !== 1) throw new UnsupportedLayerError(`tf.LayersModel layer ${i}: dilated Conv2D is not supported`);
    const k = ctx.weight('kernel');
    const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
    const w = new Float32Array(k.data.length);
    for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let c = 0; c < cin; c++) for (let o = 0; o < cout; o++) {
      w[((o * cin + c) * kh + a) * kw + b] = k.data[((a * kw + b) * cin + c) * cout + o] as number;
    }
    const useBias = cfg.use_bias !== false;
    const stride = pair(ctx, cfg.strides ?? 1, `layer ${i} strides`);
    const padding = cfg.padding === 'same' ? 'same' : cfg.padding === 'valid' || cfg.padding === undefined ? 'valid' : ctx.bad(`layer ${i} padding ${JSON.stringify(cfg.padding)}`);
    ctx.push({ type: 'conv2d', filters: cout, kernel: kh === kw ? kh : [kh, kw], stride: stride[0] === stride[1] ? stride[0] : stride, padding, bias: useBias });
    ctx.params.push(w);
    if (useBias) ctx.params.push(ctx.weight('bias').data);
    ctx.activation(cfg.activation);
  },
};
