/**
 * GatherSumActGrad (the backward kernel of `gatherSumAct`), on wasm and cpu:
 * g = dY[e] (or dAgg[seg[e]]) ⊙ act'(y[e]); dBase[e] = g; dT_k[I_k[e]] += g.
 * One pass over the E×H rows, on the compiled gsa_backward where GatherSumAct
 * uses gsa_forward, else in the specialised JavaScript loops. act' is read off the
 * output y, so the identity needs no saved tensor at all.
 */
import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { backwardLoop } from './gather-sum-act-loops';
import { gatherSumActNative, heapAddresses, type ActCode } from './gather-sum-act';
import { TypedAccess, type OutputSpec, type SupportedBackend } from './typed-access';

export const GatherSumActGrad = 'GatherSumActGrad';

export interface GatherSumActGradAttrs {
  numTerms: number;
  /** Row counts of the gathered tables, one per term. */
  tableRows: number[];
  numRows: number;
  width: number;
  act: ActCode;
  alpha: number;
  /** The incoming gradient is per segment (S×H) rather than per row (E×H). */
  reduce: boolean;
  wantBase: boolean;
}

/** Inputs, in order: g, y (absent for the identity), I_0..I_{k-1}, seg (when reduce). Outputs: dBase (when wantBase), dT_0..dT_{k-1}. */
export function makeGatherSumActGradConfig(backendName: SupportedBackend): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as GatherSumActGradAttrs;
    const list = inputs as unknown as TensorInfo[];
    const { numTerms: k, tableRows, numRows: E, width: H, act, alpha, reduce, wantBase } = a;
    const outputs: OutputSpec[] = [];
    if (wantBase) outputs.push({ shape: [E, H], dtype: 'float32', zero: false });
    for (let t = 0; t < k; t++) outputs.push({ shape: [tableRows[t]!, H], dtype: 'float32', zero: true });
    const native = gatherSumActNative(backend as KernelBackend, backendName, k);
    const loop = native === null ? backwardLoop({ terms: k, width: H, hasBase: wantBase, act, reduce }) : null;
    return new TypedAccess(backend as KernelBackend, backendName).run(list, outputs, (ins, outs) => {
      let p = 0;
      const g = ins[p++]!;
      const y = act !== 0 ? ins[p++]! : null;
      const idx = ins.slice(p, p + k);
      const seg = reduce ? ins[p + k]! : null;
      const dBase = wantBase ? outs[0]! : null;
      const dTables = outs.slice(wantBase ? 1 : 0);
      if (native !== null) {
        const [d0, d1, d2, d3] = heapAddresses(dTables);
        const [i0, i1, i2, i3] = heapAddresses(idx);
        native.gsa_backward(g.byteOffset, y?.byteOffset ?? 0, seg?.byteOffset ?? 0, dBase?.byteOffset ?? 0, d0!, i0!, d1!, i1!, d2!, i2!, d3!, i3!, k, E, H, act, alpha);
      } else {
        loop!(g, y, idx, seg, dBase, dTables, E, H, alpha);
      }
    });
  };
  return { kernelName: GatherSumActGrad, backendName, kernelFunc };
}
