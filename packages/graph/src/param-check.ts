/** Validation of the params list against a plan, and the tensor → edge-range table. */
import { NonFiniteWeightError, ParamCountError, ParamShapeError } from './errors';
import { blockEdgeCount, type GraphPlan, type ParamBlock } from './plan';
import type { ParamEdgeRange } from './types';

function listNames(names: string[]): string {
  if (names.length === 0) return 'none';
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 6).join(', ')}, … ${names.length - 6} more`;
}

/** Checks count, type and size of every tensor; with `strict`, also finiteness. */
export function checkParams(plan: GraphPlan, params: readonly Float32Array[], strict: boolean): void {
  const { infos } = plan;
  if (params.length !== infos.length) {
    throw new ParamCountError(
      `expected ${infos.length} parameter tensors (${listNames(infos.map((p) => p.name))}), got ${params.length}; pass them in paramInfos(spec) order`,
    );
  }
  infos.forEach((info, j) => {
    const p = params[j];
    const size = info.shape.reduce((a, b) => a * b, 1);
    if (!(p instanceof Float32Array)) {
      throw new ParamShapeError(`params[${j}] (${info.name}) must be a Float32Array of shape [${info.shape.join(', ')}]; convert it with Float32Array.from`);
    }
    if (p.length !== size) {
      throw new ParamShapeError(
        `params[${j}] (${info.name}) has ${p.length} values, expected shape [${info.shape.join(', ')}] = ${size}; pass tensors in paramInfos(spec) order`,
      );
    }
    if (strict) {
      for (let k = 0; k < p.length; k++) {
        const v = p[k] as number;
        if (v !== v || v === Infinity || v === -Infinity) {
          throw new NonFiniteWeightError(`${info.name}[${k}] is ${v}; fix the weights or build without { strict: true }`, info.name, k);
        }
      }
    }
  });
}

/** The graph's parameter ranges: tensors back to back from edge 0, in paramInfos order. */
export function paramRanges(plan: GraphPlan): ParamEdgeRange[] {
  let start = 0;
  return plan.infos.map((info, j) => {
    const count = blockEdgeCount(plan.params[j] as ParamBlock);
    const r = { name: info.name, shape: [...info.shape], start, count };
    start += count;
    return r;
  });
}
