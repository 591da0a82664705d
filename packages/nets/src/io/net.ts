/**
 * saveNet / loadNet: a classifier as `manifest.json` + `weights.bin`
 * (format 'metanet.net', version 1). See bundle.ts for the byte layout.
 */
import { tf } from '@metanet/tensor';
import { bufferInfos, paramInfos, validateSpec, type BufferInfo, type NetSpec, type ParamInfo } from '@metanet/spec';
import { InvalidWeightsError } from '../errors';
import { readBundle, writeBundle, type Manifest, type NamedArray } from './bundle';

/** A tensor or its host values (float32, row-major). */
export type TensorLike = tf.Tensor | Float32Array;

export interface SavedNet {
  spec: NetSpec;
  /** In `paramInfos(spec)` order. */
  params: readonly TensorLike[];
  /** In `bufferInfos(spec)` order; default fresh (mean 0, var 1). */
  buffers?: readonly TensorLike[];
  /** Any JSON object, e.g. training metrics and hyperparameters. */
  meta?: Record<string, unknown>;
}

export interface NetArrays {
  spec: NetSpec;
  params: Float32Array[];
  buffers: Float32Array[];
  meta: Record<string, unknown>;
}

export interface LoadedNet {
  spec: NetSpec;
  params: tf.Tensor[];
  buffers: tf.Tensor[];
  meta: Record<string, unknown>;
}

export interface LoadNetOptions {
  /**
   * Default true: the tensor table must name exactly the spec's params and
   * buffers. false: extra tensors are ignored and missing buffers start fresh.
   */
  strict?: boolean;
}

export function hostValues(t: TensorLike): Float32Array {
  return t instanceof Float32Array ? t : Float32Array.from(t.dataSync());
}

function named(infos: ReadonlyArray<ParamInfo | BufferInfo>, values: readonly TensorLike[], what: string): NamedArray[] {
  if (values.length !== infos.length) {
    throw new InvalidWeightsError(`expected ${infos.length} ${what} for this spec, got ${values.length}; pass them in ${what === 'params' ? 'paramInfos' : 'bufferInfos'}(spec) order`);
  }
  return infos.map((info, k) => {
    const v = values[k] as TensorLike;
    if (!(v instanceof Float32Array) && (v.shape.length !== info.shape.length || v.shape.some((d, j) => d !== info.shape[j]))) {
      throw new InvalidWeightsError(`${info.name} has shape [${v.shape.join(', ')}], expected [${info.shape.join(', ')}]`);
    }
    return { name: info.name, shape: info.shape, data: hostValues(v) };
  });
}

function freshBuffer(b: BufferInfo): Float32Array {
  const n = b.shape.reduce((a, c) => a * c, 1);
  return b.kind === 'running_var' ? new Float32Array(n).fill(1) : new Float32Array(n);
}

/** Tensors of a spec's params + buffers, as the bundle stores them. */
export function netTensors(net: SavedNet): NamedArray[] {
  const spec = validateSpec(net.spec);
  const binfos = bufferInfos(spec);
  const buffers = net.buffers ?? binfos.map(freshBuffer);
  return [...named(paramInfos(spec), net.params, 'params'), ...named(binfos, buffers, 'buffers')];
}

/** Saves a net atomically (weights.bin, then manifest.json). Refuses non-finite values. */
export function saveNet(dir: string, net: SavedNet): Manifest {
  const spec = validateSpec(net.spec);
  return writeBundle(dir, spec, netTensors(net), net.meta ?? {}) as Manifest;
}

/** Splits a bundle's tensors into the spec's params and buffers, checking names and shapes. */
export function netFromTensors(dir: string, spec: NetSpec, tensors: Map<string, NamedArray>, strict: boolean, extraAllowed: (name: string) => boolean = () => false): { params: Float32Array[]; buffers: Float32Array[] } {
  const pinfos = paramInfos(spec);
  const binfos = bufferInfos(spec);
  const take = (info: ParamInfo | BufferInfo, optional: boolean): Float32Array | undefined => {
    const t = tensors.get(info.name);
    if (!t) {
      if (optional) return undefined;
      throw new InvalidWeightsError(`${dir}: tensor ${info.name} is missing; the weights do not belong to this spec`);
    }
    if (t.shape.length !== info.shape.length || t.shape.some((d, j) => d !== info.shape[j])) {
      throw new InvalidWeightsError(`${dir}: tensor ${info.name} has shape [${t.shape.join(', ')}], the spec needs [${info.shape.join(', ')}]`);
    }
    return t.data;
  };
  const params = pinfos.map((p) => take(p, false) as Float32Array);
  const buffers = binfos.map((b) => take(b, !strict) ?? freshBuffer(b));
  if (strict) {
    const known = new Set([...pinfos, ...binfos].map((i) => i.name));
    for (const name of tensors.keys()) {
      if (!known.has(name) && !extraAllowed(name)) throw new InvalidWeightsError(`${dir}: tensor ${name} is not part of this spec; load with strict: false to ignore it`);
    }
  }
  return { params, buffers };
}

/** Reads and validates a saved net into host arrays (no tfjs work). */
export function readNet(dir: string, opts: LoadNetOptions = {}): NetArrays {
  const { manifest, tensors } = readBundle(dir);
  const spec = validateSpec(manifest.spec);
  return { spec, ...netFromTensors(dir, spec, tensors, opts.strict ?? true), meta: manifest.meta };
}

/** Host arrays of a net as tensors (the caller disposes them). */
export function netToTensors(net: NetArrays): LoadedNet {
  const pinfos = paramInfos(net.spec);
  const binfos = bufferInfos(net.spec);
  return {
    spec: net.spec,
    params: net.params.map((v, k) => tf.tensor(v, (pinfos[k] as ParamInfo).shape, 'float32')),
    buffers: net.buffers.map((v, k) => tf.tensor(v, (binfos[k] as BufferInfo).shape, 'float32')),
    meta: net.meta,
  };
}

/** Reads and validates a saved net into tensors (the caller disposes them). */
export function loadNet(dir: string, opts: LoadNetOptions = {}): LoadedNet {
  return netToTensors(readNet(dir, opts));
}
