import { output, type OnnxImporter } from './context';

/** GlobalAveragePool: our globalavgpool gives [C] directly, so the Flatten usually after it has nothing left to do. */
export const onnxGlobalavgpool: OnnxImporter = {
  ops: ['GlobalAveragePool'],
  read(ctx) {
    ctx.push({ type: 'globalavgpool' });
    return output(ctx.node);
  },
};
