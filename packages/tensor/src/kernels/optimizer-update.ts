import { util, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernelsOfBackend } from './native';
import { TypedAccess, type NumericArray } from './typed-access';

export const OPTIMIZER_UPDATE = 'MetanetOptimizerUpdate';

/**
 * Attributes of MetanetOptimizerUpdate. Inputs are named p<i>, g<i>, and per
 * kind s<i>_0 (Adam m, SGD momentum buffer), s<i>_1 (Adam v), and k<i> (mask)
 * where masked[i]. Outputs: per tensor p', then its new slots.
 */
export interface OptimizerUpdateAttrs {
  kind: 'adam' | 'sgd';
  count: number;
  masked: boolean[];
  lr: number;
  weightDecay: number;
  /** Adam. */
  beta1: number;
  beta2: number;
  eps: number;
  /** The step being taken, from 1 (Adam's bias correction; SGD's first momentum step). */
  step: number;
  /** SGD momentum (0: none, no slot). */
  momentum: number;
}

const f32 = Math.fround;

/** optimizer.c's loops in float32 through Math.fround (exact: every step is one correctly rounded operation). */
function adamHost(p: NumericArray, g: NumericArray, m: NumericArray, v: NumericArray, k: NumericArray | undefined, out: NumericArray[], c: number[]): void {
  const [b1, c1, b2, c2, wd, sbc2, eps, step] = c as [number, number, number, number, number, number, number, number];
  const [po, mo, vo] = out as [NumericArray, NumericArray, NumericArray];
  for (let i = 0; i < p.length; i++) {
    let gi = g[i]!;
    if (wd !== 0) gi = f32(gi + f32(p[i]! * wd));
    if (k) gi = f32(gi * k[i]!);
    const mi = f32(f32(m[i]! * b1) + f32(gi * c1));
    const vi = f32(f32(v[i]! * b2) + f32(f32(gi * gi) * c2));
    let u = f32(f32(mi / f32(f32(f32(Math.sqrt(vi)) / sbc2) + eps)) * step);
    if (k) u = f32(u * k[i]!);
    po[i] = f32(p[i]! - u);
    mo[i] = mi;
    vo[i] = vi;
  }
}

function sgdHost(p: NumericArray, g: NumericArray, buf: NumericArray | undefined, k: NumericArray | undefined, out: NumericArray[], first: boolean, mom: number, wd: number, lr: number): void {
  const [po, bo] = out;
  for (let i = 0; i < p.length; i++) {
    let gi = g[i]!;
    if (wd !== 0) gi = f32(gi + f32(p[i]! * wd));
    if (k) gi = f32(gi * k[i]!);
    if (bo) {
      gi = first ? gi : f32(f32(buf![i]! * mom) + gi);
      bo[i] = gi;
    }
    po![i] = f32(p[i]! - f32(gi * lr));
  }
}

/**
 * The whole optimizer step, every parameter tensor, in one kernel call: on
 * wasm optimizer.c's single pass per tensor replaces the 10–14 elementwise
 * kernels per tensor of the tfjs-op version, with equal bits.
 */
export function makeOptimizerUpdateConfig(): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const a = args.attrs as unknown as OptimizerUpdateAttrs;
    const inputs = args.inputs as Record<string, TensorInfo>;
    const backend = args.backend as KernelBackend;
    const access = new TypedAccess(backend, 'wasm');
    const native = nativeKernelsOfBackend(backend);
    const slots = a.kind === 'adam' ? 2 : a.momentum > 0 ? 1 : 0;
    const consts = [a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.weightDecay, Math.sqrt(1 - a.beta2 ** a.step), a.eps, a.lr / (1 - a.beta1 ** a.step)].map(f32);
    const [mom, wd, lr] = [a.momentum, a.weightDecay, a.lr].map(f32) as [number, number, number];
    const outs: TensorInfo[] = [];
    for (let i = 0; i < a.count; i++) {
      const p = inputs[`p${i}`]!;
      const ins = [p, inputs[`g${i}`]!, ...Array.from({ length: slots }, (_, j) => inputs[`s${i}_${j}`]!)];
      const masked = a.masked[i] === true;
      if (masked) ins.push(inputs[`k${i}`]!);
      const n = util.sizeFromShape(p.shape);
      const first = a.step === 1;
      outs.push(
        ...access.run(ins, Array.from({ length: 1 + slots }, () => ({ shape: [...p.shape], dtype: 'float32' as const })), (v, o) => {
          const [pv, gv] = v as [NumericArray, NumericArray];
          const k = masked ? v[ins.length - 1] : undefined;
          const at = (x: NumericArray | undefined): number => (x === undefined ? 0 : x.byteOffset);
          if (a.kind === 'adam') {
            const [b1, c1, b2, c2, wd2, sbc2, eps, step] = consts as [number, number, number, number, number, number, number, number];
            if (native) native.adam_update(pv.byteOffset, gv.byteOffset, v[2]!.byteOffset, v[3]!.byteOffset, at(k), o[0]!.byteOffset, o[1]!.byteOffset, o[2]!.byteOffset, n, b1, c1, b2, c2, wd2, sbc2, eps, step);
            else adamHost(pv, gv, v[2]!, v[3]!, k, o, consts);
          } else if (native) {
            native.sgd_update(pv.byteOffset, gv.byteOffset, slots ? v[2]!.byteOffset : 0, at(k), o[0]!.byteOffset, slots ? o[1]!.byteOffset : 0, n, first ? 1 : 0, mom, wd, lr);
          } else sgdHost(pv, gv, slots ? v[2] : undefined, k, o, first, mom, wd, lr);
        }, false),
      );
    }
    return outs;
  };
  return { kernelName: OPTIMIZER_UPDATE, backendName: 'wasm', kernelFunc };
}
