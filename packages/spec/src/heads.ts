/**
 * Multi-head nets: a shared trunk and named heads.
 *
 * A head is a contiguous slice of the final dense layer's outputs. Since that
 * layer is a linear map, head k's logits are its own rows of the weight and
 * bias applied to the shared trunk features: exactly a separate `nn.Linear`
 * per head on a shared body, with no new layer type. That choice keeps every
 * consumer (forward, parameter layout, graph planners, permutation plans) as
 * it is, and keeps a spec without `heads` byte-identical to before. The price:
 * a head is one linear layer; heads with hidden layers of their own need a
 * branch in the layer list, which the spec does not have.
 *
 * Each head may carry a label map (dataset label → head label), so a bundle
 * says by itself how its heads are trained and scored.
 */
import { InvalidSpecError } from './errors';
import { isObj, posInt, short } from './fields';
import type { NetSpec } from './types';

/** One named head: `units` outputs and, optionally, the head label of each dataset label. */
export interface HeadSpec {
  /** Letters, digits, `_` or `-`, starting with a letter; unique within the spec. */
  name: string;
  units: number;
  /** `labelMap[y]` is the head's label for dataset label y. Absent: the dataset label itself. */
  labelMap?: number[];
}

/** A head with its place among the network's outputs. */
export interface HeadSlice extends HeadSpec {
  /** Position of the head in `spec.heads`. */
  index: number;
  /** First output of the head. */
  start: number;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
/** Largest accepted number of heads. */
export const MAX_HEADS = 64;

/**
 * Fashion-MNIST's three garment groups as a label map: tops {T-shirt, pullover,
 * coat, shirt} → 0, bottoms and dresses {trouser, dress} → 1, footwear and bags
 * {sandal, sneaker, bag, ankle boot} → 2.
 */
export const FASHION_MNIST_GROUPS: readonly number[] = [0, 1, 0, 1, 0, 2, 0, 2, 2, 2];

/** Heads known by name to `namedHeads` and the `--heads` flag of the CLI. */
export const NAMED_HEADS = ['label', 'group'] as const;

/**
 * Heads by name: `label` is the `classes`-way label; `group` is
 * Fashion-MNIST's 3-way garment group (`FASHION_MNIST_GROUPS`).
 */
export function namedHeads(names: readonly string[], classes = 10): HeadSpec[] {
  return names.map((name) => {
    if (name === 'label') return { name, units: classes };
    if (name === 'group') {
      if (classes !== FASHION_MNIST_GROUPS.length) throw new InvalidSpecError(`head "group" maps Fashion-MNIST's 10 classes, the net has ${classes}; use --heads label or give a spec with its own labelMap`);
      return { name, units: 3, labelMap: [...FASHION_MNIST_GROUPS] };
    }
    throw new InvalidSpecError(`unknown head ${short(name)}; known: ${NAMED_HEADS.join(', ')}`);
  });
}

function validateHead(raw: unknown, k: number): HeadSpec {
  const w = `spec.heads[${k}]`;
  if (!isObj(raw)) throw new InvalidSpecError(`${w} must be an object with "name" and "units"; fix the spec`);
  if (typeof raw.name !== 'string' || !NAME.test(raw.name)) {
    throw new InvalidSpecError(`${w}.name must be 1-32 letters, digits, _ or -, starting with a letter, got ${short(raw.name)}; fix the spec`);
  }
  const head: HeadSpec = { name: raw.name, units: posInt(raw.units, `${w}.units`) };
  if (raw.labelMap !== undefined) {
    const map = raw.labelMap;
    if (!Array.isArray(map) || map.length < 1 || map.length > 1 << 20) throw new InvalidSpecError(`${w}.labelMap must be a non-empty array of head labels, one per dataset label; fix the spec`);
    head.labelMap = map.map((v, y) => {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= head.units) {
        throw new InvalidSpecError(`${w}.labelMap[${y}] must be an integer in [0, ${head.units - 1}], got ${short(v)}; fix the spec`);
      }
      return v;
    });
  }
  return head;
}

/**
 * Checks `spec.heads` against a spec whose layers are already validated: the
 * last layer is dense on a vector, and the heads' units add up to its outputs.
 */
export function validateHeads(raw: unknown, spec: NetSpec, outputs: readonly number[]): HeadSpec[] {
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_HEADS) {
    throw new InvalidSpecError(`spec.heads must be an array of 1 to ${MAX_HEADS} heads; fix the spec`);
  }
  const heads = raw.map(validateHead);
  const seen = new Set<string>();
  for (const h of heads) {
    if (seen.has(h.name)) throw new InvalidSpecError(`spec.heads names ${JSON.stringify(h.name)} twice; give each head its own name`);
    seen.add(h.name);
  }
  const lastLayer = spec.layers[spec.layers.length - 1];
  if (lastLayer?.type !== 'dense' || outputs.length !== 1) {
    throw new InvalidSpecError('spec.heads needs a last layer of type dense on a vector (each head is a slice of its rows); end the trunk with globalavgpool or flatten, then one dense');
  }
  const total = heads.reduce((n, h) => n + h.units, 0);
  if (total !== lastLayer.units) {
    throw new InvalidSpecError(`spec.heads have ${total} units in all, the last dense layer has ${lastLayer.units}; make them equal`);
  }
  return heads;
}

/** The heads of a spec with their output offsets; empty for a single-head spec. */
export function headSlices(spec: NetSpec): HeadSlice[] {
  let start = 0;
  return (spec.heads ?? []).map((h, index) => {
    const s: HeadSlice = { ...h, index, start };
    start += h.units;
    return s;
  });
}

/** The head named `name`; throws InvalidSpecError naming the heads there are. */
export function findHead(spec: NetSpec, name: string): HeadSlice {
  const heads = headSlices(spec);
  const h = heads.find((x) => x.name === name);
  if (!h) {
    const have = heads.length ? `its heads are ${heads.map((x) => x.name).join(', ')}` : 'it has one head (train it with --heads label,group)';
    throw new InvalidSpecError(`the net has no head ${JSON.stringify(name)}: ${have}`);
  }
  return h;
}

/** A head's label for each dataset label; throws when a label falls outside the head or its map. */
export function headLabels(head: HeadSpec, labels: ArrayLike<number>): Int32Array {
  const out = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    const v = head.labelMap ? head.labelMap[y] : y;
    if (v === undefined || !(v >= 0 && v < head.units)) {
      throw new InvalidSpecError(`dataset label ${y} has no label in head ${JSON.stringify(head.name)} (${head.units} units${head.labelMap ? `, labelMap of ${head.labelMap.length}` : ''}); fix the head's labelMap or the dataset`);
    }
    out[i] = v;
  }
  return out;
}
