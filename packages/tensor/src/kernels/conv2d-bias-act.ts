import { FusedConv2D, getKernel, type FusedConv2DAttrs, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';

export const CONV2D_BIAS_ACT = 'MetanetConv2DBiasAct';

/** Attributes of MetanetConv2DBiasAct: FusedConv2D's geometry, and an activation tfjs's ReLU or none. */
export type Conv2DBiasActAttrs = Pick<FusedConv2DAttrs, 'strides' | 'pad' | 'dataFormat' | 'dilations'> & {
  dimRoundingMode?: FusedConv2DAttrs['dimRoundingMode'];
  activation: 'relu' | 'linear';
};

/**
 * MetanetConv2DBiasAct on wasm: act(conv(x, filter) + bias) through whatever
 * FusedConv2D kernel is registered (conv.c's epilogue, or XNNPACK for fewer
 * than 4 input channels). A kernel of its own so that its gradient can be a
 * registered GradConfig (conv2dBiasAct's): tfjs then asks only for the input
 * gradients the tape needs, so a first layer never computes dx, which
 * tf.fused.conv2d's customGrad always does.
 */
export function makeConv2DBiasActConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const fused = getKernel(FusedConv2D, 'wasm');
    if (fused === undefined) throw new Error(`${CONV2D_BIAS_ACT} on wasm: FusedConv2D is not registered`);
    return fused.kernelFunc(args);
  };
  return { kernelName: CONV2D_BIAS_ACT, backendName: 'wasm', kernelFunc };
}
