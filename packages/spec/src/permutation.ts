/**
 * Neuron-permutation symmetries, as a plan over the spec.
 *
 * A hidden group is a set of channels/neurons that can be reordered without
 * changing the network's function, provided every tensor touching it follows:
 * the producer's rows (weight axis 0, bias), the norm layers' γ/β/buffers on the
 * way, and the consumer's input columns (weight axis 1; after a conv→flatten,
 * whole (H·W) blocks in PyTorch's (C, H, W) order). Each layer's definition
 * says which of its tensors follow which group (its `permute`).
 *
 * Groups are named after the layer that creates them: `layers.{i}` for a
 * dense/conv/attention output or a residual block's projected output, and
 * `layers.{i}.inner` for a residual block's internal channels. An identity
 * residual block keeps its input's group: the residual stream is one group
 * across every block it passes through. The network output is never a group.
 */
import { InvalidPermutationError } from './errors';
import type { PermutationStep, Stream } from './layer-definition';
import { layerDefinition } from './layers/index';
import { bufferInfos, paramInfos, sizeOf } from './params';
import { layerInputShapes } from './shapes';
import type { NetSpec } from './types';

/** A group of hidden neurons that permute together, and the tensor axes that follow them. */
export interface HiddenGroup {
  id: string;
  size: number;
  /**
   * Set when a group norm splits the group into runs of `blockSize`
   * consecutive neurons: a permutation must then map each run onto a run
   * (reorder the runs, and the neurons within each). Absent: any permutation.
   */
  blockSize?: number;
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

/** Every hidden group of a spec and the tensor axes each permutes: what a neuron permutation must touch. */
export interface PermutationPlan {
  groups: HiddenGroup[];
  ops: PermutationOp[];
}

/** A permutation per group id; a missing group keeps its order. `perm[newIndex] = oldIndex`. */
export type HiddenPermutation = Record<string, ArrayLike<number>>;

/**
 * The block size (in neurons) that contiguous blocks of `features` impose on
 * `stream`'s group: 1 when any permutation keeps the blocks whole, 0 when
 * only the identity does.
 */
function blockSizeOf(stream: Stream, size: number, features: number): number {
  const row = size * stream.inner;
  // Blocks inside one neuron's features, or of whole rows: a neuron's features move together, so every block stays whole.
  if (stream.inner % features === 0 || features % row === 0) return 1;
  if (row % features !== 0 || features % stream.inner !== 0) return 0; // blocks cut across a neuron's features
  return features / stream.inner;
}

/** The hidden groups of a spec and every tensor axis each one reorders. */
export function permutationPlan(spec: NetSpec): PermutationPlan {
  const inputs = layerInputShapes(spec);
  const lastMixing = spec.layers.reduce((k, l, i) => (layerDefinition(l).mixesNeurons ? i : k), -1);
  const groups: HiddenGroup[] = [];
  const ops: PermutationOp[] = [];
  // Groups whose neurons two group norms partition differently: only the identity keeps both.
  const frozen = new Set<string>();
  let stream: Stream | null = null;

  spec.layers.forEach((layer, i) => {
    const cur = stream;
    const push = (tensor: string, axis: number, group: string, outer = 1, inner = 1): void => void ops.push({ tensor, axis, group, outer, inner });
    const step: PermutationStep = {
      prefix: `layers.${i}`,
      input: inputs[i] as number[],
      stream: cur,
      consume: (tensor) => cur && push(tensor, 1, cur.group, cur.outer, cur.inner),
      columns: (tensor, group) => push(tensor, 1, group),
      rows: (tensor, group) => push(tensor, 0, group),
      follow: (tensor) => cur && push(tensor, 0, cur.group, cur.outer, cur.inner),
      output(id, size) {
        if (i >= lastMixing) return null;
        groups.push({ id, size });
        return id;
      },
      internal(id, size) {
        groups.push({ id, size });
        return id;
      },
      partition(features) {
        const g = cur && groups.find((h) => h.id === cur.group);
        if (!cur || !g) return;
        const b = blockSizeOf(cur, g.size, features);
        if (b === 0 || (b > 1 && g.blockSize !== undefined && g.blockSize !== b)) frozen.add(g.id);
        else if (b > 1) g.blockSize = b;
      },
    };
    stream = layerDefinition(layer).permute(layer, step);
  });
  // A stream group that reaches the output (e.g. a net ending in an identity
  // residual block) is tied to the output neurons, so it is not hidden after all.
  const tied = (stream as Stream | null)?.group;
  if (tied) frozen.add(tied);
  if (frozen.size === 0) return { groups, ops };
  return { groups: groups.filter((g) => !frozen.has(g.id)), ops: ops.filter((op) => !frozen.has(op.group)) };
}

/** The group sizes of a spec, keyed by id. */
export function hiddenGroups(spec: NetSpec): HiddenGroup[] {
  return permutationPlan(spec).groups;
}

function checkPermutation(g: HiddenGroup, p: ArrayLike<number>): void {
  const { id, size } = g;
  if (p.length !== size) throw new InvalidPermutationError(`permutation of ${id} has ${p.length} entries, the group has ${size}`);
  const seen = new Uint8Array(size);
  for (let k = 0; k < size; k++) {
    const v = p[k] as number;
    if (!Number.isInteger(v) || v < 0 || v >= size || seen[v]) throw new InvalidPermutationError(`permutation of ${id} is not a permutation of 0..${size - 1}`);
    seen[v] = 1;
  }
  const b = g.blockSize;
  if (!b) return;
  for (let k = 0; k < size; k++) {
    if (Math.floor((p[k] as number) / b) !== Math.floor((p[k - (k % b)] as number) / b)) {
      throw new InvalidPermutationError(
        `permutation of ${id} splits a group norm's runs of ${b} neurons; map each run of ${b} consecutive neurons onto such a run (randomHiddenPermutation does)`,
      );
    }
  }
}

/** Checks perms against the plan and returns full index maps per op (`index[newPos] = oldPos` along the axis). */
export function expandedIndices(plan: PermutationPlan, perms: HiddenPermutation): Map<PermutationOp, Int32Array> {
  const byId = new Map(plan.groups.map((g) => [g.id, g]));
  for (const [id, p] of Object.entries(perms)) {
    const g = byId.get(id);
    if (g === undefined) throw new InvalidPermutationError(`no hidden group ${JSON.stringify(id)}; groups: ${[...byId.keys()].join(', ') || 'none'}`);
    checkPermutation(g, p);
  }
  const out = new Map<PermutationOp, Int32Array>();
  for (const op of plan.ops) {
    const p = perms[op.group];
    if (!p) continue;
    const size = (byId.get(op.group) as HiddenGroup).size;
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
 * Host-array version of nets' permuteHidden: params (and buffers) in paramInfos /
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

/** A uniformly random symmetry of every hidden group, deterministic by seed. */
export function randomHiddenPermutation(spec: NetSpec, seed: number): Record<string, Int32Array> {
  let s = seed >>> 0;
  const next = (): number => {
    // splitmix32: small and good enough for shuffles, and keeps this package free of dependencies.
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
  const shuffled = (n: number): Int32Array => {
    const p = Int32Array.from({ length: n }, (_, k) => k);
    for (let k = n - 1; k > 0; k--) {
      const j = Math.floor(next() * (k + 1));
      const t = p[k] as number;
      p[k] = p[j] as number;
      p[j] = t;
    }
    return p;
  };
  const out: Record<string, Int32Array> = {};
  for (const g of hiddenGroups(spec)) {
    const b = g.blockSize;
    if (!b) {
      out[g.id] = shuffled(g.size);
      continue;
    }
    // The symmetries of a group norm's runs: reorder the runs, then the neurons within each.
    const runs = shuffled(g.size / b);
    const p = new Int32Array(g.size);
    runs.forEach((r, k) => shuffled(b).forEach((j, m) => (p[k * b + m] = r * b + j)));
    out[g.id] = p;
  }
  return out;
}
