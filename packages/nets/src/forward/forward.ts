/**
 * Functional forward pass: `forward(spec, params, x)` where params are plain
 * tensors in `paramInfos(spec)` order. Nothing is stored in a module, so
 * gradients flow into the params (a GMN can backprop through an edited net).
 */
import { tf } from '@metanet/tensor';
import { bufferInfos, paramInfos, sizeOf, type BufferInfo, type Layer, type NetSpec, type ParamInfo } from '@metanet/spec';
import { InvalidWeightsError } from '../errors';
import type { ForwardContext, LayerForward } from './context';
import { LAYER_FORWARDS } from './layers/index';
import { batchNorm } from './layers/batchnorm';
import { fusedRun, type FusionScope } from './fusion';

/** Options of `forward`: training mode (dropout, batch statistics) and the dropout seed. */
export interface ForwardOptions {
  /** Train mode: BN uses batch statistics (and updates running ones), dropout is on. Default false. */
  training?: boolean;
  /**
   * BN running statistics in `bufferInfos(spec)` order. Default: fresh ones
   * (mean 0, var 1), as a newly built PyTorch module has.
   */
  buffers?: readonly tf.Tensor[];
  /**
   * Seed of the dropout masks in train mode; the mask of dropout layer i is a
   * pure function of (seed, i). Default: a per-process counter, so repeated
   * calls differ but a program is reproducible.
   */
  seed?: number;
  /**
   * Run fusable layer runs (conv → ReLU; conv → BN → ReLU in eval mode) as one op
   * (`fusion.ts`). Default false: the fused op rounds differently from the
   * layer-by-layer ops, and the GMN editor's end-to-end check (packages/unlearning,
   * test/gmn/end-to-end) proved sensitive to that rounding anywhere in its nets'
   * training and its own: its deletion probe drop (AUC 0.866) became 0.887–0.892.
   * Until that result holds under both, fusion is opt-in and training and
   * evaluation stay bit-identical to the layer-by-layer path.
   */
  fuse?: boolean;
  /**
   * Called with each layer's output as it is computed (eval or train mode), with the index of the
   * spec layer that produced it (with `fuse`, the last layer of a fused run). In eval mode off a
   * gradient tape the tensor is freed once the next layer has run: read it or derive from it inside
   * the callback (tf.keep what must outlive it). For probe features (activations of fixed inputs)
   * and inspection.
   */
  tap?: (layerIndex: number, output: tf.Tensor) => void;
}

/** What `forwardWithBuffers` returns: the logits and the updated buffers (BN running statistics). */
export interface ForwardResult {
  output: tf.Tensor;
  /** Running statistics after this batch (train mode) or the given ones (eval mode). Never mutated in place. */
  buffers: tf.Tensor[];
}

interface Layout {
  params: ParamInfo[];
  buffers: BufferInfo[];
}

const layouts = new WeakMap<NetSpec, Layout>();

function layoutOf(spec: NetSpec): Layout {
  let l = layouts.get(spec);
  if (!l) {
    l = { params: paramInfos(spec), buffers: bufferInfos(spec) };
    layouts.set(spec, l);
  }
  return l;
}

function checkTensors(what: string, infos: ReadonlyArray<{ name: string; shape: number[] }>, ts: readonly tf.Tensor[]): void {
  if (ts.length !== infos.length) {
    throw new InvalidWeightsError(`expected ${infos.length} ${what} tensors for this spec, got ${ts.length}; pass them in ${what}Infos(spec) order`);
  }
  infos.forEach((info, k) => {
    const t = ts[k] as tf.Tensor;
    if (t.shape.length !== info.shape.length || t.shape.some((d, j) => d !== info.shape[j])) {
      throw new InvalidWeightsError(`${what} ${info.name} has shape [${t.shape.join(', ')}], expected [${info.shape.join(', ')}]; check the order and layout`);
    }
  });
}

let autoSeed = 0x5eed;

function forwardLayer<L extends Layer>(layer: L, x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
  return (LAYER_FORWARDS[layer.type] as LayerForward<L>)(layer, x, ctx);
}

/** Fresh BN running statistics (mean 0, var 1) in `bufferInfos(spec)` order. */
export function initBuffers(spec: NetSpec): tf.Tensor[] {
  return layoutOf(spec).buffers.map((b) => (b.kind === 'running_mean' ? tf.zeros(b.shape) : tf.ones(b.shape)));
}

/** Runs the network and returns the output and the (possibly updated) BN running statistics. */
export function forwardWithBuffers(spec: NetSpec, params: readonly tf.Tensor[], x: tf.Tensor, opts: ForwardOptions = {}): ForwardResult {
  const layout = layoutOf(spec);
  checkTensors('param', layout.params, params);
  const training = opts.training ?? false;
  const buffersIn = opts.buffers ?? initBuffers(spec);
  checkTensors('buffer', layout.buffers, buffersIn);
  const seed = opts.seed ?? autoSeed++;

  const P = new Map<string, tf.Tensor>();
  layout.params.forEach((info, k) => P.set(info.name, params[k] as tf.Tensor));
  const B = new Map<string, tf.Tensor>();
  layout.buffers.forEach((info, k) => B.set(info.name, buffersIn[k] as tf.Tensor));
  const param = (name: string): tf.Tensor => P.get(name) as tf.Tensor;

  const n = x.shape[0] as number;
  const perExample = sizeOf(spec.input);
  if (x.rank < 2 || x.size !== n * perExample) {
    throw new InvalidWeightsError(`input has shape [${x.shape.join(', ')}], expected [N, ${spec.input.join(', ')}]; reshape the input or fix spec.input`);
  }
  let h: tf.Tensor = x.shape.length === spec.input.length + 1 && x.shape.every((d, k) => k === 0 || d === spec.input[k - 1]) ? x : tf.reshape(x, [n, ...spec.input]);

  const batchNormAt = (prefix: string, z: tf.Tensor, eps = 1e-5, momentum = 0.1): tf.Tensor => {
    const r = batchNorm(z, param(`${prefix}.weight`), param(`${prefix}.bias`), B.get(`${prefix}.running_mean`) as tf.Tensor, B.get(`${prefix}.running_var`) as tf.Tensor, training, eps, momentum);
    B.set(`${prefix}.running_mean`, r.runningMean);
    B.set(`${prefix}.running_var`, r.runningVar);
    return r.y;
  };

  // Eval mode keeps no batch statistics, so each layer runs in a tidy of its own and,
  // off the tape, its input is freed once used: a homework-cnn pass at batch 1000 then
  // holds two activations at a time, not every intermediate of every layer (its wasm
  // heap grew to 1.28 GB that way).
  const scope: FusionScope = { training, param: (name) => P.get(name), buffer: (name) => B.get(name) };
  const freeAsYouGo = !training && tf.engine().state.gradientDepth === 0;
  const fuse = opts.fuse ?? false;
  for (let index = 0; index < spec.layers.length; ) {
    const at = index;
    const layer = spec.layers[at] as Layer;
    const pre = `layers.${at}`;
    const ctx: ForwardContext = {
      index: at,
      training,
      seed,
      param: (suffix) => param(`${pre}.${suffix}`),
      optionalParam: (suffix) => P.get(`${pre}.${suffix}`),
      batchNorm: (z, module = '', eps, momentum) => batchNormAt(module ? `${pre}.${module}` : pre, z, eps, momentum),
    };
    const fused = fuse ? fusedRun(spec.layers, at, scope) : undefined;
    index += fused?.layers ?? 1;
    const input = h;
    const step = (): tf.Tensor => (fused ? fused.run(input) : forwardLayer(layer, input, ctx));
    h = training ? step() : tf.tidy(step);
    opts.tap?.(index - 1, h);
    if (freeAsYouGo && input !== x && input !== h) input.dispose();
  }
  return { output: h, buffers: layout.buffers.map((b) => B.get(b.name) as tf.Tensor) };
}

/**
 * The network's output for a batch x of shape [N, ...spec.input] (or any
 * [N, ...] with the same per-example size, e.g. images into an MLP).
 * Params are tensors in `paramInfos(spec)` order; wrap calls in tf.tidy.
 */
export function forward(spec: NetSpec, params: readonly tf.Tensor[], x: tf.Tensor, opts: ForwardOptions = {}): tf.Tensor {
  return forwardWithBuffers(spec, params, x, opts).output;
}
