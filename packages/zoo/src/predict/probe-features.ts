/**
 * Probe features: each neuron's response to fixed inputs, as extra node columns of the parameter
 * graph (the probe features of Kofinas et al. 2024's neural graphs, with fixed instead of learnt
 * inputs). The inputs are uniform noise in the zoo's input range [-1, 1], drawn from a seed: they
 * depend on no data set, so the features are a function of the weights alone.
 *
 * Per node, 4 columns: the mean and std over the probes (and over positions, for a conv channel)
 * of the unit's output ("pre": the dense or conv layer's own output, so before a batch norm that
 * follows it), and of the same channel after the first `activation` layer that follows ("post"),
 * reached only through layers that keep each channel in its place (dropout, batch, layer and group
 * norm, pooling); where none is reached so (the logits, or a flatten or residual block in between),
 * "post" is "pre". A unit is an output row of a top-level `dense` or `conv2d` layer's weight, found
 * in the graph as the target node of that row's first edge. Every other node (inputs, bias and
 * normalisation nodes, units inside composite layers such as residual blocks) gets zeros. Values
 * are compressed as sign(x)·log(1 + |x|), since a zoo's activations span many orders of magnitude
 * (init std log-U[1e-3, 0.5]); a non-finite value becomes 0.
 *
 * Every hidden unit's columns move with it under a permutation of the hidden neurons, so a GMN
 * reading them stays invariant to the nets' symmetries.
 */
import type { ParameterGraph } from '@metanet/graph';
import { forward, type NetArrays } from '@metanet/nets';
import { bufferInfos, paramInfos, sizeOf, type NetSpec, type ParamInfo } from '@metanet/spec';
import { createRng, tf } from '@metanet/tensor';
import { InvalidPredictionInputError } from './errors';

/** The probe inputs: how many, and the seed of their noise, or the inputs themselves. */
export interface ProbeConfig {
  readonly count: number;
  readonly seed: number;
  /**
   * Given inputs instead of noise (count × input size, row-major), e.g. unlabeled images. The features then depend
   * on those inputs too, not on the weights alone. Saved with a predictor, so it must be JSON: plain numbers.
   */
  readonly inputs?: readonly number[];
}

/** Columns per node: pre-activation mean and std, post-activation mean and std. */
export const PROBE_COLUMNS = 4;

/** The probe seed the GMN predictor uses unless told otherwise. */
export const DEFAULT_PROBE_SEED = 0x9a0be;

/** `count` noise inputs in [-1, 1] of the spec's input shape (count × size, row-major), from `seed`; or the given inputs. */
export function probeInputs(spec: NetSpec, config: ProbeConfig): Float32Array {
  if (config.inputs !== undefined) {
    if (config.inputs.length !== config.count * sizeOf(spec.input)) {
      throw new InvalidPredictionInputError(`probe inputs hold ${config.inputs.length} values, expected ${config.count} × ${sizeOf(spec.input)} for this net's input; pass count rows of its input size`);
    }
    return Float32Array.from(config.inputs);
  }
  const rng = createRng(config.seed);
  return Float32Array.from({ length: config.count * sizeOf(spec.input) }, () => 2 * rng.uniform() - 1);
}

const squash = (x: number): number => (Number.isFinite(x) ? Math.sign(x) * Math.log1p(Math.abs(x)) : 0);

const UNIT_LAYERS = new Set(['dense', 'conv2d']);
/** Layers that keep every channel in its place (channels last), so "post" may be read after them. */
const CHANNEL_PRESERVING = new Set(['dropout', 'batchnorm', 'layernorm', 'groupnorm', 'maxpool', 'avgpool', 'globalavgpool']);

/** For each top-level dense/conv layer: its index, its weight tensor's index and its units, and where "after" is read. */
function unitLayers(spec: NetSpec, infos: readonly ParamInfo[]): Array<{ layer: number; param: number; units: number; post: number }> {
  const out: Array<{ layer: number; param: number; units: number; post: number }> = [];
  spec.layers.forEach((layer, l) => {
    if (!UNIT_LAYERS.has(layer.type)) return;
    const param = infos.findIndex((p) => p.layerIndex === l && p.name === `layers.${l}.weight`);
    if (param < 0) return;
    let post = l;
    for (let j = l + 1; j < spec.layers.length; j++) {
      const type = spec.layers[j]!.type;
      if (type === 'activation') {
        post = j;
        break;
      }
      if (!CHANNEL_PRESERVING.has(type)) break;
    }
    out.push({ layer: l, param, units: infos[param]!.shape[0]!, post });
  });
  return out;
}

/** Per unit of a layer output (channels last), the mean and std over every other axis. */
function unitMoments(h: tf.Tensor, units: number): Float32Array {
  if (h.shape[h.shape.length - 1] !== units) {
    throw new InvalidPredictionInputError(`probe features: a layer output of shape [${h.shape.join(', ')}] does not end in the ${units} units it should; the net's layers do not keep channels last`);
  }
  return tf.tidy(() => {
    const rows = tf.reshape(h, [-1, units]);
    const { mean, variance } = tf.moments(rows, 0);
    return tf.concat([mean, tf.sqrt(variance)]).dataSync() as Float32Array;
  });
}

/** N × PROBE_COLUMNS probe features of `net`, whose parameter graph is `graph` (built from the same spec). */
export function probeNodeFeatures(net: NetArrays, graph: ParameterGraph, config: ProbeConfig): Float32Array {
  const out = new Float32Array(graph.numNodes * PROBE_COLUMNS);
  const infos = paramInfos(net.spec);
  const layers = unitLayers(net.spec, infos);
  if (layers.length === 0 || config.count <= 0) return out;
  const pre = new Map<number, { units: number; param: number }>();
  const post = new Map<number, Array<{ units: number; param: number }>>();
  for (const u of layers) {
    pre.set(u.layer, u);
    post.set(u.post, [...(post.get(u.post) ?? []), u]);
  }
  const stats = new Map<number, { pre?: Float32Array; post?: Float32Array }>();
  const binfos = bufferInfos(net.spec);
  tf.tidy(() => {
    const params = net.params.map((p, k) => tf.tensor(p, infos[k]!.shape));
    const buffers = net.buffers.map((b, k) => tf.tensor(b, binfos[k]!.shape));
    const x = tf.tensor(probeInputs(net.spec, config), [config.count, ...net.spec.input]);
    forward(net.spec, params, x, {
      buffers,
      tap: (index, h) => {
        const p = pre.get(index);
        if (p) stats.set(p.param, { ...stats.get(p.param), pre: unitMoments(h, p.units) });
        for (const q of post.get(index) ?? []) stats.set(q.param, { ...stats.get(q.param), post: unitMoments(h, q.units) });
      },
    }).dispose();
  });
  const E = graph.numEdges;
  for (const u of layers) {
    const range = graph.paramEdges[u.param];
    const s = stats.get(u.param);
    if (!range || !s?.pre || !s.post) continue;
    const perUnit = range.count / u.units;
    for (let o = 0; o < u.units; o++) {
      // Edges follow the weight's flat (PyTorch) order, so row o's first edge ends at unit o's node.
      const node = graph.edgeIndex[E + range.start + o * perUnit]!;
      const at = node * PROBE_COLUMNS;
      out[at] = squash(s.pre[o]!);
      out[at + 1] = squash(s.pre[u.units + o]!);
      out[at + 2] = squash(s.post[o]!);
      out[at + 3] = squash(s.post[u.units + o]!);
    }
  }
  return out;
}
