/**
 * The GMN editor: reads a classifier's parameter graph with the forget request on
 * it, and outputs Δw for every parameter edge, so w' = w + Δw in one forward pass.
 *
 * - The request is a node feature: a learnt vector added to the encoded state of each
 *   forgotten class's output node. Output nodes carry their class index already
 *   (ioIndex), hidden nodes carry none, so the edit is equivariant to hidden-neuron
 *   permutations by construction.
 * - Messages go both ways (`direction: 'both'`): with forward-only messages the flag
 *   on an output node would reach the first conv layers only through the pooled
 *   global vector.
 * - The edge head starts at 0, so an untrained editor returns the net bit for bit.
 * - Δw is the head's output times the std of the layer's weight tensor, so one editor
 *   serves nets whose weights differ in scale (widths 8–24 differ by about 1.7×).
 * - BN running statistics are kept as they are.
 */
import { tf, variableFrom } from '@metanet/tensor';
import { GMN, type ForwardContext, type GMNConfig, type GraphTensors } from '@metanet/mpnn';
import { NODE_FEATURE_DIM, NODE_TYPES, toParameterGraph, type ParameterGraph } from '@metanet/graph';
import { paramInfos } from '@metanet/spec';
import type { TrainedNet } from '../types';
import { EditorMismatchError } from './errors';
import { architectureFamily } from './family';

/** Request kinds an editor can be trained for; class-wise is the one built today. */
export type EditorRequestKind = 'class';

/** What an editor was trained for (saved with it). */
export interface EditorInfo {
  /** `architectureFamily` of the nets it was trained on; null until trained. */
  family: string | null;
  requestKinds: EditorRequestKind[];
  /** Optimiser steps it was trained for. */
  steps: number;
  /**
   * The editor's calibrated Δw scale, chosen on held-out nets after training (like a decision
   * threshold): `applyEditor` applies scale × this. Absent = 1, and absent from the manifests of
   * editors saved without one. Training on (`trainEditor` with `editor`) drops it.
   */
  scale?: number;
}

/** The editor's GMN architecture; everything else of GMNConfig is fixed (see `editorGMNConfig`). */
export interface EditorConfig {
  /** Hidden width of every update MLP. Default 32. */
  hidden: number;
  /** MetaLayers. Default 3. */
  layers: number;
  /** Initialisation seed. Default 0. */
  seed: number;
  /** Start the edge head at 0 (the identity). Only equivariance tests turn this off. Default true. */
  zeroInit: boolean;
}

export const DEFAULT_EDITOR_CONFIG: EditorConfig = { hidden: 32, layers: 3, seed: 0, zeroInit: true };

/** The GMN config an editor with `c` runs: both directions, one edge output, no graph head. */
export function editorGMNConfig(c: EditorConfig): Partial<GMNConfig> {
  return {
    hidden: c.hidden,
    globalHidden: c.hidden,
    layers: c.layers,
    direction: 'both',
    graphOutputs: 0,
    edgeOutputs: 1,
    edgeHeadZeroInit: c.zeroInit,
    seed: c.seed,
  };
}

/** A GMN editor: the GMN, the request-flag embedding, and what it was trained for. */
export class GMNEditor {
  readonly config: EditorConfig;
  readonly model: GMN;
  /** 1 × hidden: added to the encoded state of each forgotten class's output node. */
  readonly flag: tf.Variable;
  info: EditorInfo;

  constructor(config: Partial<EditorConfig> = {}, info?: EditorInfo) {
    this.config = { ...DEFAULT_EDITOR_CONFIG, ...config };
    this.model = new GMN(editorGMNConfig(this.config));
    // Small random, not zero: a zero flag would get no gradient until the head moved.
    this.flag = variableFrom(tf.randomNormal([1, this.config.hidden], 0, 1, 'float32', this.config.seed + 17), true, `gmn-editor-flag-${editorIds++}`);
    this.info = info ?? { family: null, requestKinds: ['class'], steps: 0 };
  }

  /** Everything the trainer updates: the GMN's weights, then the flag. */
  get trainableVariables(): tf.Variable[] {
    return [...this.model.trainableVariables, this.flag];
  }

/** Frees the editor's tensors. */
  dispose(): void {
    this.model.dispose();
    this.flag.dispose();
  }
}

let editorIds = 0;

/** A new (identity) editor. */
export function createEditor(config: Partial<EditorConfig> = {}): GMNEditor {
  return new GMNEditor(config);
}

/** A net read for editing: its graph on the device, per-tensor scales, and where each class's output node is. */
export interface PreparedNet {
  readonly net: TrainedNet;
  readonly graph: ParameterGraph;
  readonly tensors: GraphTensors;
  /** Per parameter tensor (paramInfos order): the std of its layer's weight. */
  readonly scales: number[];
  /** Node id of class k's output node. */
  readonly outputNode: Int32Array;
  readonly family: string;
/** Frees the uploaded graph tensors. */
  dispose(): void;
}

function std(a: Float32Array): number {
  let m = 0;
  for (const v of a) m += v;
  m /= Math.max(1, a.length);
  let s = 0;
  for (const v of a) s += (v - m) * (v - m);
  return Math.sqrt(s / Math.max(1, a.length));
}

/** Scale of each tensor's Δw: its layer's weight std (γ, β and layers without a weight use their own), at least 1e-3. */
export function deltaScales(net: TrainedNet, host: readonly Float32Array[]): number[] {
  const infos = paramInfos(net.spec);
  return infos.map((p, k) => {
    const w = infos.findIndex((q) => q.layerIndex === p.layerIndex && q.kind === 'weight');
    return Math.max(1e-3, std(host[w >= 0 ? w : k] as Float32Array));
  });
}

/** Builds a net's parameter graph and uploads it for `editor` (dispose the result when done). */
export function prepareNet(editor: GMNEditor, net: TrainedNet): PreparedNet {
  const host = net.params.map((p) => p.dataSync() as Float32Array);
  const graph = toParameterGraph(net.spec, host, { strict: true });
  const tensors = editor.model.graphTensors(graph);
  const outputType = NODE_TYPES.indexOf('output');
  const outs: number[] = [];
  for (let n = 0; n < graph.numNodes; n++) {
    if (graph.nodeFeatures[n * NODE_FEATURE_DIM + 2] === outputType) outs[graph.nodeFeatures[n * NODE_FEATURE_DIM + 1] as number] = n;
  }
  return {
    net,
    graph,
    tensors,
    scales: deltaScales(net, host),
    outputNode: Int32Array.from(outs),
    family: architectureFamily(net.spec),
    dispose: () => tensors.dispose(),
  };
}

/** Checks that `editor` may edit `prepared` for a class-wise request of `classes`. */
export function checkRequest(editor: GMNEditor, prepared: PreparedNet, classes: readonly number[]): void {
  if (editor.info.family !== null && editor.info.family !== prepared.family) {
    throw new EditorMismatchError(`the editor was trained on ${editor.info.family} nets, not ${prepared.family}; train one on this family with \`metanet gmn-unlearn train\``);
  }
  if (!editor.info.requestKinds.includes('class')) {
    throw new EditorMismatchError(`the editor was trained for ${editor.info.requestKinds.join(', ')} requests, not class-wise ones; train one for class-wise requests`);
  }
  if (classes.length === 0) throw new EditorMismatchError('the GMN editor needs a class-wise request; pass at least one forget class');
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= prepared.outputNode.length) {
      throw new EditorMismatchError(`forget class ${c} is not an output of this net (0..${prepared.outputNode.length - 1}); pick one of its classes`);
    }
  }
}

/**
 * The raw head output (E × 1, before scaling) for a class-wise request. Differentiable
 * in the editor's variables; call inside tf.tidy or a gradient scope.
 */
export function editorOutput(editor: GMNEditor, prepared: PreparedNet, classes: readonly number[], training = false): tf.Tensor2D {
  const g = prepared.tensors;
  const flags = new Float32Array(g.numNodes);
  for (const c of classes) flags[prepared.outputNode[c] as number] = 1;
  // The editor has no dropout, so the seed stream is never read.
  let seed = editor.config.seed;
  const ctx: ForwardContext = { training, nextSeed: () => seed++ };
  const m = editor.model;
  let state = m.encode(g);
  state = { ...state, v: tf.add(state.v, tf.matMul(tf.tensor2d(flags, [g.numNodes, 1]), editor.flag)) as tf.Tensor2D };
  for (const layer of m.layers) state = layer.forward(g, state, ctx);
  return m.edgeHead!.forward(g, state.v, state.e, state.u, ctx);
}

/** Δw per parameter tensor (paramInfos order, scaled), times `scale`. Differentiable. */
export function editDeltas(editor: GMNEditor, prepared: PreparedNet, classes: readonly number[], scale = 1, training = false): { deltas: tf.Tensor[]; raw: tf.Tensor2D } {
  const raw = editorOutput(editor, prepared, classes, training);
  const flat = tf.reshape(raw, [-1]);
  const deltas = prepared.graph.paramEdges.map((r, k) =>
    tf.mul(tf.reshape(tf.slice(flat, [r.start], [r.count]), r.shape), scale * (prepared.scales[k] as number)),
  );
  return { deltas, raw };
}

/** Edited params w + Δw as tensors (differentiable; for training). */
export function editedParams(net: TrainedNet, deltas: readonly tf.Tensor[]): tf.Tensor[] {
  return net.params.map((p, k) => tf.add(p, deltas[k] as tf.Tensor));
}

export interface ApplyEditorOptions {
  /** Multiplies the editor's calibrated Δw (`info.scale`, else 1): the trade-off curve's knob. Default 1. */
  scale?: number;
}

/**
 * Edits `net` to forget `classes`: one forward pass of the editor. Returns fresh
 * tensors (buffers copied). Scales and adds on the host in float32, and keeps a
 * weight's bits where its Δw is exactly 0, so an untrained editor returns the net
 * bit for bit. The head's E × 1 output is read once and scaled here: a float32
 * product rounded once, the same bits as `editDeltas`' per-tensor multiply, without
 * its three ops and one read per parameter tensor.
 */
export function applyEditor(editor: GMNEditor, net: TrainedNet, classes: readonly number[], options: ApplyEditorOptions = {}): TrainedNet {
  const prepared = prepareNet(editor, net);
  try {
    checkRequest(editor, prepared, classes);
    const raw = tf.tidy(() => editorOutput(editor, prepared, classes));
    const r = raw.dataSync() as Float32Array;
    raw.dispose();
    const scale = (options.scale ?? 1) * (editor.info.scale ?? 1);
    const params = net.params.map((p, k) => {
      const { start } = prepared.graph.paramEdges[k]!;
      // tf.mul(x, s) multiplies by the float32 scalar fround(s); the exact product of two float32s, rounded once.
      const s = Math.fround(scale * (prepared.scales[k] as number));
      const w = p.dataSync() as Float32Array;
      const out = new Float32Array(w.length);
      for (let i = 0; i < w.length; i++) {
        const d = Math.fround((r[start + i] as number) * s);
        out[i] = d === 0 ? (w[i] as number) : Math.fround((w[i] as number) + d);
      }
      return tf.tensor(out, p.shape, 'float32');
    });
    return { spec: net.spec, params, buffers: net.buffers.map((b) => tf.clone(b)) };
  } finally {
    prepared.dispose();
  }
}
