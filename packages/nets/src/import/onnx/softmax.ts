import { output, type OnnxImporter } from './context';

/** A final Softmax / LogSoftmax is dropped (metanet nets output logits), with a warning; elsewhere it is unsupported. */
export const onnxSoftmax: OnnxImporter = {
  ops: ['Softmax', 'LogSoftmax'],
  read(ctx) {
    if (!ctx.last) ctx.unsupported(`${ctx.node.opType} is supported only as the last node (it is dropped: metanet nets output logits)`);
    ctx.warn(`final ${ctx.node.opType} dropped: the imported net outputs logits`);
    return output(ctx.node);
  },
};
