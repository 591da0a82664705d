import * as tf from '@tensorflow/tfjs-core';

/** Options of `linear`: bias and activation fused into the matrix product. */
export interface LinearOptions {
  /**
   * Whether a gradient must flow into `x`. When false (constant input features),
   * `x` is kept out of the tape and its gradient, one more E×in×out matMul, is never computed.
   */
  inputGrad?: boolean;
  /** Use stock tf ops with autograd (reference path). */
  reference?: boolean;
}

/**
 * y = x·W + b with a hand-written backward: dX = dY·Wᵀ, dW = xᵀ·dY, db = Σ dY, and
 * dX only when the input needs it (constant input features skip one E×in×out
 * product). On wasm all three products run on this package's compiled kernels
 * (gemm_nn, gemm_tn), which take the transposed forms without copying x.
 */
export function linear(x: tf.Tensor2D, w: tf.Tensor2D, b?: tf.Tensor1D, options: LinearOptions = {}): tf.Tensor2D {
  if (options.reference === true) {
    return tf.tidy(() => {
      const y = tf.matMul(x, w);
      return (b !== undefined ? tf.add(y, b) : y) as tf.Tensor2D;
    });
  }
  const inputGrad = options.inputGrad ?? true;
  const hasBias = b !== undefined;
  const forward = (xv: tf.Tensor2D, wv: tf.Tensor2D, bv: tf.Tensor1D | undefined): tf.Tensor2D =>
    (bv !== undefined ? tf.fused.matMul({ a: xv, b: wv, bias: bv }) : tf.matMul(xv, wv)) as tf.Tensor2D;
  const weightGrads = (xv: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor[] => {
    const dw = tf.matMul(xv, dy, true, false);
    return hasBias ? [dw, tf.sum(dy, 0)] : [dw];
  };
  if (inputGrad) {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const save = args[args.length - 1] as tf.GradSaveFunc;
      const [xv, wv, bv] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D | undefined];
      save([xv, wv]);
      return {
        value: forward(xv, wv, hasBias ? bv : undefined),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
          const d = dy as tf.Tensor2D;
          return [tf.matMul(d, sw, false, true), ...weightGrads(sx, d)];
        },
      };
    });
    return (hasBias ? op(x, w, b) : op(x, w)) as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [wv, bv] = args as [tf.Tensor2D, tf.Tensor1D | undefined];
    return {
      value: forward(x, wv, hasBias ? bv : undefined),
      gradFunc: (dy: tf.Tensor) => weightGrads(x, dy as tf.Tensor2D),
    };
  });
  return (hasBias ? op(w, b) : op(w)) as tf.Tensor2D;
}
