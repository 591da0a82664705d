/**
 * Neuron-permutation symmetries, as a plan over the spec (tfjs-free).
 *
 * A hidden group is a set of channels/neurons that can be reordered without
 * changing the network's function, provided every tensor touching it follows:
 * the producer's rows (weight axis 0, bias), the norm layers' γ/β/buffers on the
 * way, and the consumer's input columns (weight axis 1; after a conv→flatten,
 * whole (H·W) blocks in PyTorch's (C, H, W) order).
 *
 * Groups are named after the layer that creates them: `layers.{i}` for a
 * dense/conv/attention output or a residual block's projected output, and
 * `layers.{i}.inner` for a residual block's internal channels. An identity
 * residual block keeps its input's group: the residual stream is one group
 * across every block it passes through. The network output is never a group.
 */
import { InvalidPermutationError } from './errors';
import { bufferInfos, paramInfos, sizeOf } from './params';
import { layerInputShapes, residualGeometry } from './shapes';
import type { NetSpec } from './types';

export interface HiddenGroup {
  id: string;
  size: number;
}

/** One tensor axis that a group's permutation reorders. Index k of the axis is feature (o, c, j) = o·size·inner + c·inner + j. */
export interface PermutationOp {
  /** Param or buffer name. */
  tensor: string;
  axis: number;
  group: string;
  outer: number;
  inner: number;
}

export interface PermutationPlan {
  groups: HiddenGroup[];
  ops: PermutationOp[];
}

/** A permutation per group id; a missing group keeps its order. `perm[newIndex] = oldIndex`. */
export type HiddenPermutation = Record<string, ArrayLike<number>>;

const WEIGHTED = new Set(['dense', 'conv2d', 'residual', 'attention']);

/** The hidden groups of a spec and every tensor axis each one reorders. */
export function permutationPlan(spec: NetSpec): PermutationPlan {
  const inputs = layerInputShapes(spec);
  const lastWeighted = spec.layers.reduce((k, l, i) => (WEIGHTED.has(l.type) ? i : k), -1);
  const groups: HiddenGroup[] = [];
  const ops: PermutationOp[] = [];
  let cur: { group: string; outer: number; inner: number } | null = null;
  const rows = (tensor: string, group: string): void => void ops.push({ tensor, axis: 0, group, outer: 1, inner: 1 });
  const consume = (tensor: string): void => {
    if (cur) ops.push({ tensor, axis: 1, group: cur.group, outer: cur.outer, inner: cur.inner });
  };
  const newGroup = (id: string, size: number, i: number): string | null => {
    if (i >= lastWeighted) return null;
    groups.push({ id, size });
    return id;
  };
  const bn = (prefix: string, group: string): void => {
    for (const s of ['weight', 'bias', 'running_mean', 'running_var']) rows(`${prefix}.${s}`, group);
  };

  spec.layers.forEach((layer, i) => {
    const pre = `layers.${i}`;
    const shape = inputs[i] as number[];
    switch (layer.type) {
      case 'dense':
      case 'conv2d': {
        consume(`${pre}.weight`);
        const size = layer.type === 'dense' ? layer.units : layer.filters;
        const g = newGroup(pre, size, i);
        if (g) {
          rows(`${pre}.weight`, g);
          if (layer.bias !== false) rows(`${pre}.bias`, g);
        }
        cur = g ? { group: g, outer: 1, inner: 1 } : null;
        break;
      }
      case 'attention': {
        for (const p of ['q_proj', 'k_proj', 'v_proj']) consume(`${pre}.${p}.weight`);
        const g = newGroup(pre, shape[1] as number, i);
        if (g) {
          rows(`${pre}.out_proj.weight`, g);
          if (layer.bias !== false) rows(`${pre}.out_proj.bias`, g);
        }
        cur = g ? { group: g, outer: 1, inner: 1 } : null;
        break;
      }
      case 'batchnorm':
      case 'layernorm':
        if (cur) {
          rows(`${pre}.weight`, cur.group);
          rows(`${pre}.bias`, cur.group);
          if (layer.type === 'batchnorm') {
            rows(`${pre}.running_mean`, cur.group);
            rows(`${pre}.running_var`, cur.group);
          }
          // Norm over a flattened conv map would need the expanded index; the ops carry it.
          ops.slice(-(layer.type === 'batchnorm' ? 4 : 2)).forEach((op) => {
            op.outer = cur!.outer;
            op.inner = cur!.inner;
          });
        }
        break;
      case 'flatten':
        if (cur && shape.length > 1) {
          // (H, W, C) flattens channel-major (C, H, W); (T, D) flattens as t·D + d.
          cur = shape.length === 3 ? { group: cur.group, outer: 1, inner: (shape[0] as number) * (shape[1] as number) } : { group: cur.group, outer: shape[0] as number, inner: 1 };
        }
        break;
      case 'residual': {
        const c = shape[2] as number;
        const { projection } = residualGeometry(layer, c);
        const inner = `${pre}.inner`;
        groups.push({ id: inner, size: layer.filters });
        consume(`${pre}.conv1.weight`);
        rows(`${pre}.conv1.weight`, inner);
        bn(`${pre}.bn1`, inner);
        ops.push({ tensor: `${pre}.conv2.weight`, axis: 1, group: inner, outer: 1, inner: 1 });
        let out: string | null;
        if (projection) {
          consume(`${pre}.downsample.0.weight`);
          out = newGroup(pre, layer.filters, i);
          if (out) {
            rows(`${pre}.downsample.0.weight`, out);
            bn(`${pre}.downsample.1`, out);
          }
        } else {
          out = cur ? (cur as { group: string }).group : null;
        }
        if (out) {
          rows(`${pre}.conv2.weight`, out);
          bn(`${pre}.bn2`, out);
        }
        cur = out ? { group: out, outer: 1, inner: 1 } : null;
        break;
      }
      default:
        break;
    }
  });
  // A stream group that reaches the output (e.g. a net ending in an identity
  // residual block) is tied to the output neurons, so it is not hidden after all.
  const tied = (cur as { group: string } | null)?.group;
  if (tied) return { groups: groups.filter((g) => g.id !== tied), ops: ops.filter((op) => op.group !== tied) };
  return { groups, ops };
}

/** The group sizes of a spec, keyed by id. */
export function hiddenGroups(spec: NetSpec): HiddenGroup[] {
  return permutationPlan(spec).groups;
}

/** Checks perms against the plan and returns full index maps per op (`index[newPos] = oldPos` along the axis). */
export function expandedIndices(plan: PermutationPlan, perms: HiddenPermutation): Map<PermutationOp, Int32Array> {
  const sizes = new Map(plan.groups.map((g) => [g.id, g.size]));
  for (const [id, p] of Object.entries(perms)) {
    const size = sizes.get(id);
    if (size === undefined) throw new InvalidPermutationError(`no hidden group ${JSON.stringify(id)}; groups: ${[...sizes.keys()].join(', ') || 'none'}`);
    if (p.length !== size) throw new InvalidPermutationError(`permutation of ${id} has ${p.length} entries, the group has ${size}`);
    const seen = new Uint8Array(size);
    for (let k = 0; k < size; k++) {
      const v = p[k] as number;
      if (!Number.isInteger(v) || v < 0 || v >= size || seen[v]) throw new InvalidPermutationError(`permutation of ${id} is not a permutation of 0..${size - 1}`);
      seen[v] = 1;
    }
  }
  const out = new Map<PermutationOp, Int32Array>();
  for (const op of plan.ops) {
    const p = perms[op.group];
    if (!p) continue;
    const size = sizes.get(op.group) as number;
    const idx = new Int32Array(op.outer * size * op.inner);
    for (let o = 0; o < op.outer; o++) {
      for (let c = 0; c < size; c++) {
        for (let j = 0; j < op.inner; j++) idx[(o * size + c) * op.inner + j] = (o * size + (p[c] as number)) * op.inner + j;
      }
    }
    out.set(op, idx);
  }
  return out;
}

/** Reorders `axis` of a row-major array of `shape` by `index` (new[k] = old[index[k]]). */
export function permuteAxis(data: Float32Array, shape: readonly number[], axis: number, index: Int32Array): Float32Array {
  const before = sizeOf(shape.slice(0, axis));
  const len = shape[axis] as number;
  const after = sizeOf(shape.slice(axis + 1));
  const out = new Float32Array(data.length);
  for (let b = 0; b < before; b++) {
    for (let k = 0; k < len; k++) {
      const src = (b * len + (index[k] as number)) * after;
      out.set(data.subarray(src, src + after), (b * len + k) * after);
    }
  }
  return out;
}

/**
 * Host-array version of permuteHidden: params (and buffers) in paramInfos /
 * bufferInfos order, returned permuted (new arrays; inputs untouched).
 */
export function permuteHiddenArrays(spec: NetSpec, params: readonly Float32Array[], perms: HiddenPermutation, buffers?: readonly Float32Array[]): { params: Float32Array[]; buffers: Float32Array[] } {
  const pinfos = paramInfos(spec);
  const binfos = bufferInfos(spec);
  const byName = new Map<string, { data: Float32Array; shape: number[] }>();
  pinfos.forEach((p, k) => byName.set(p.name, { data: params[k] as Float32Array, shape: p.shape }));
  const bufs = buffers ?? binfos.map((b) => new Float32Array(sizeOf(b.shape)).fill(b.kind === 'running_var' ? 1 : 0));
  binfos.forEach((b, k) => byName.set(b.name, { data: bufs[k] as Float32Array, shape: b.shape }));
  const plan = permutationPlan(spec);
  for (const [op, idx] of expandedIndices(plan, perms)) {
    const t = byName.get(op.tensor);
    if (t) byName.set(op.tensor, { data: permuteAxis(t.data, t.shape, op.axis, idx), shape: t.shape });
  }
  return { params: pinfos.map((p) => (byName.get(p.name) as { data: Float32Array }).data), buffers: binfos.map((b) => (byName.get(b.name) as { data: Float32Array }).data) };
}

/** A uniformly random permutation of every hidden group, deterministic by seed. */
export function randomHiddenPermutation(spec: NetSpec, seed: number): Record<string, Int32Array> {
  let s = seed >>> 0;
  const next = (): number => {
    // splitmix32: small and good enough for shuffles; tfjs-free so the spec subpath can use it.
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
  const out: Record<string, Int32Array> = {};
  for (const g of hiddenGroups(spec)) {
    const p = Int32Array.from({ length: g.size }, (_, k) => k);
    for (let k = g.size - 1; k > 0; k--) {
      const j = Math.floor(next() * (k + 1));
      const t = p[k] as number;
      p[k] = p[j] as number;
      p[j] = t;
    }
    out[g.id] = p;
  }
  return out;
}
