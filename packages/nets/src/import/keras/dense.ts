import type { KerasImporter } from './context';

/** Keras Dense: kernel (in, out) → weight (out, in); after a Flatten of a conv map, input rows go from (H, W, C) to our (C, H, W) order. */
export const kerasDense: KerasImporter = {
  classes: ['Dense'],
  read(ctx) {
    const k = ctx.weight('kernel');
    const [inDim, outDim] = k.shape as [number, number];
    const w = new Float32Array(inDim * outDim);
    // Keras row r of the kernel is input feature r in (H, W, C) order when a Flatten precedes.
    const fl = ctx.flattened;
    for (let r = 0; r < inDim; r++) {
      let col = r;
      if (fl) {
        const [h, wd, c] = fl;
        const ch = r % c;
        const pos = Math.floor(r / c);
        col = ch * h * wd + pos;
      }
      for (let o = 0; o < outDim; o++) w[o * inDim + col] = k.data[r * outDim + o] as number;
    }
    ctx.flattened = null;
    const useBias = ctx.cfg.use_bias !== false;
    ctx.push({ type: 'dense', units: outDim, bias: useBias });
    ctx.params.push(w);
    if (useBias) ctx.params.push(ctx.weight('bias').data);
    ctx.activation(ctx.cfg.activation);
  },
};
