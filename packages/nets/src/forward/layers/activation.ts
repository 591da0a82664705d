import { fastGelu, fastTanh, tf } from '@metanet/tensor';
import type { ActivationFn, ActivationLayer } from '@metanet/spec';
import type { LayerForward } from '../context';

export function activate(x: tf.Tensor, fn: ActivationFn, alpha = 0.01): tf.Tensor {
  switch (fn) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      // One compiled pass each way on wasm (native/activation.c in @metanet/tensor); tf.tanh elsewhere.
      return fastTanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'leaky_relu':
      return tf.leakyRelu(x, alpha);
    case 'gelu':
      // Exact GELU (erf form), as torch.nn.GELU() by default; one compiled pass each way on wasm.
      return fastGelu(x);
  }
}

export const activation: LayerForward<ActivationLayer> = (layer, x) => activate(x, layer.fn, layer.alpha);
