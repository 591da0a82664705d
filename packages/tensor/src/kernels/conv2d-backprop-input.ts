import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { callKernel } from './call-kernel';
import { TypedAccess, type SupportedBackend } from './typed-access';

/** True when the input gradient runs as a forward conv: symmetric padding 0 ≤ p ≤ k − 1 on both axes (any stride). */
export function fastGradApplies(kh: number, kw: number, _stride: [number, number], pad: number): boolean {
  return pad <= kh - 1 && pad <= kw - 1;
}

/** The padding p of a `pad` attribute that pads both spatial axes by p on both sides, or null ('same', uneven). */
function symmetricPad(pad: Conv2DBackpropInputAttrs['pad']): number | null {
  if (pad === 'valid') return 0;
  if (typeof pad === 'number') return pad;
  if (!Array.isArray(pad)) return null;
  const [n, [t, b], [l, r], c] = pad;
  const flat = [...n, ...c].every((v) => v === 0);
  return flat && t === b && l === r && t === l ? t : null;
}

/**
 * Conv2DBackpropInput (the input gradient of conv2d, and conv2dTranspose), NHWC,
 * registered on wasm. Stock wasm runs a slow generic loop (measured ≈ 8× the
 * forward conv on homework-cnn). The input gradient is itself a stride-1
 * correlation of dy, dilated by the stride, with the 180°-rotated, in/out-swapped
 * filter, padded k − 1 − p before and H + p − L after (L = dilated length), so it
 * runs on the backend's forward Conv2D (XNNPACK on wasm). This made a homework-cnn
 * training step 2.9× faster on wasm. Paddings other than p ≤ k − 1 on every side
 * ('same', uneven), NCHW, rounding modes and dy shapes that do not match the
 * geometry go to the stock kernel.
 */
export function makeConv2DBackpropInputConfig(backendName: SupportedBackend, stock: KernelFunc | undefined): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const [kh, kw] = filter.shape as [number, number, number, number];
    const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
    const p = symmetricPad(pad);
    const fast =
      p !== null &&
      fastGradApplies(kh, kw, [sh, sw], p) &&
      backend_util.convertConv2DDataFormat(dataFormat) === 'channelsLast' &&
      dimRoundingMode == null &&
      dy.dtype === 'float32' &&
      filter.dtype === 'float32' &&
      matchesGeometry(dy, filter, inputShape, [sh, sw], p);
    if (!fast) {
      if (stock === undefined) throw new Error(`Conv2DBackpropInput on ${backendName}: the stock kernel is missing`);
      return stock(args);
    }
    const backend = args.backend as KernelBackend;
    const access = new TypedAccess(backend, backendName);
    const temps: TensorInfo[] = [];
    const run = (name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap): TensorInfo => {
      const t = callKernel(name, backendName, backend, inputs, attrs);
      temps.push(t);
      return t;
    };
    try {
      const rotated = run('Transpose', { x: run('Reverse', { x: filter }, { dims: [0, 1] }) }, { perm: [0, 1, 3, 2] });
      const d = dilate(dy, sh, sw, run);
      const [, h, w] = inputShape;
      const [, lh, lw] = d.shape as [number, number, number, number];
      const explicit = [[0, 0], [kh - 1 - p, h + p - lh], [kw - 1 - p, w + p - lw], [0, 0]];
      return callKernel('Conv2D', backendName, backend, { x: d, filter: rotated }, {
        strides: 1,
        pad: explicit,
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      } as unknown as NamedAttrMap);
    } finally {
      for (const t of temps) access.dispose(t);
    }
  };
  return { kernelName: Conv2DBackpropInput, backendName, kernelFunc };
}

/**
 * dy has the output shape of the forward conv of `inputShape` (else the pads below
 * could go negative). Explicit pads, because tfjs sizes the output width of a
 * numeric padding from the filter height and the height stride.
 */
function matchesGeometry(dy: TensorInfo, filter: TensorInfo, inputShape: [number, number, number, number], strides: [number, number], p: number): boolean {
  const pads: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [p, p], [p, p], [0, 0]];
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pads);
  return dy.shape[0] === info.batchSize && dy.shape[1] === info.outHeight && dy.shape[2] === info.outWidth && dy.shape[3] === info.outChannels;
}

/**
 * Inserts s − 1 zeros between the rows/columns of dy: (N, Ho, Wo, C) → (N, (Ho−1)·sh + 1, (Wo−1)·sw + 1, C),
 * as a reshape, a pad and a slice. For stride 1 it is dy itself.
 */
function dilate(dy: TensorInfo, sh: number, sw: number, run: (name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap) => TensorInfo): TensorInfo {
  if (sh === 1 && sw === 1) return dy;
  const [n, ho, wo, c] = dy.shape as [number, number, number, number];
  const split = run('Reshape', { x: dy }, { shape: [n, ho, 1, wo, 1, c] });
  const spread = run('PadV2', { x: split }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
  const merged = run('Reshape', { x: spread }, { shape: [n, ho * sh, wo * sw, c] });
  return run('Slice', { x: merged }, { begin: [0, 0, 0, 0], size: [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, c] });
}
