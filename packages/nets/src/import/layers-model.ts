/**
 * Import of a tfjs/Keras `tf.LayersModel`, Sequential or functional (model.json topology +
 * weightsManifest + concatenated weight shards) into a NetSpec and PyTorch-layout
 * params. Keras stores dense kernels (in, out) and conv kernels (kh, kw, in, out),
 * and flattens conv maps in (H, W, C) order; the dense weight after a Flatten is
 * re-indexed to our (C, H, W) order so the function is preserved exactly.
 */
import { layerOutputShape, sizeOf, UnsupportedLayerError, validateSpec, type ActivationFn, type Layer, type NetSpec } from '@metanet/spec';
import { InvalidNetFileError } from '../errors';
import { KERAS_CLASSES } from './keras/index';
import type { Obj } from './keras/context';
import { functionalLayers } from './keras/functional';
import type { ImportedNet } from './safetensors';

const SUPPORTED = ['InputLayer', ...KERAS_CLASSES.keys()];
const ACTIVATIONS: Record<string, ActivationFn | null> = { linear: null, relu: 'relu', tanh: 'tanh', sigmoid: 'sigmoid', gelu: 'gelu' };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (msg: string): never => {
  throw new InvalidNetFileError(`tf.LayersModel: ${msg}`);
};

/** A net imported from a tf.LayersModel, with warnings naming what the import changed (e.g. a dropped final softmax). */
export interface LayersModelImport extends ImportedNet {
  /** Things the import changed, e.g. a dropped final softmax. */
  warnings: string[];
}

interface WeightSpec {
  name: string;
  shape: number[];
  offset: number;
}

function weightTable(json: Obj, byteLength: number): Map<string, WeightSpec> {
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest)) bad('"weightsManifest" must be an array of {paths, weights}');
  const out = new Map<string, WeightSpec>();
  let offset = 0;
  for (const group of manifest as unknown[]) {
    if (!isObj(group) || !Array.isArray(group.weights)) return bad('each weightsManifest group needs a "weights" array');
    for (const w of group.weights as unknown[]) {
      if (!isObj(w) || typeof w.name !== 'string' || !Array.isArray(w.shape)) return bad('each weight needs a string "name" and a "shape" array');
      if ((w.dtype ?? 'float32') !== 'float32' || w.quantization !== undefined) bad(`weight ${w.name} is ${JSON.stringify(w.dtype)}${w.quantization ? ' quantized' : ''}; only plain float32 is supported`);
      let n = 1;
      for (const d of w.shape as unknown[]) {
        if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d > 1 << 28) return bad(`weight ${w.name} has a bad dimension ${JSON.stringify(d)}`);
        n *= d;
        if (n > 1 << 28) bad(`weight ${w.name} is too large`);
      }
      const name = w.name.replace(/:0$/, '');
      if (out.has(name)) bad(`weight ${name} appears twice in the manifest`);
      out.set(name, { name, shape: w.shape as number[], offset });
      offset += 4 * n;
      if (offset > byteLength) bad(`the manifest needs at least ${offset} bytes of weights, the data has ${byteLength}; a shard is missing or truncated`);
    }
  }
  if (offset !== byteLength) bad(`the manifest describes ${offset} bytes of weights, the data has ${byteLength}`);
  return out;
}

function layersOf(json: Obj): Obj[] {
  const topo = isObj(json.modelTopology) && isObj(json.modelTopology.model_config) ? json.modelTopology.model_config : json.modelTopology;
  if (!isObj(topo)) return bad('"modelTopology" must be an object');
  if (topo.class_name === 'Model' || topo.class_name === 'Functional') {
    return isObj(topo.config) ? functionalLayers(topo.config, bad) : bad('functional model needs a "config" object');
  }
  if (topo.class_name !== 'Sequential') bad(`only Sequential and functional models are supported, got ${JSON.stringify(topo.class_name)}`);
  const cfg = topo.config;
  const layers = Array.isArray(cfg) ? cfg : isObj(cfg) ? cfg.layers : undefined;
  if (!Array.isArray(layers) || layers.length > 10_000) return bad('Sequential config needs a "layers" array');
  return layers.map((l, i) => (isObj(l) && isObj(l.config) && typeof l.class_name === 'string' ? l : bad(`layer ${i} needs "class_name" and "config"`)));
}

function inputShape(cfg: Obj): number[] | undefined {
  const s = cfg.batch_input_shape ?? cfg.batchInputShape ?? cfg.batch_shape;
  return Array.isArray(s) ? s.slice(1).map((d) => (typeof d === 'number' ? d : NaN)) : undefined;
}

/** Imports a tf.LayersModel (Sequential or functional): `json` is model.json, `weightData` the shards concatenated in manifest order. */
export function importLayersModel(json: unknown, weightData: Uint8Array): LayersModelImport {
  if (!isObj(json)) return bad('model.json must hold a JSON object');
  const table = weightTable(json, weightData.byteLength);
  const view = new DataView(weightData.buffer, weightData.byteOffset, weightData.byteLength);
  const used = new Set<string>();
  const weight = (layer: string, kind: string): { shape: number[]; data: Float32Array } => {
    const hits = [...table.values()].filter((w) => w.name === `${layer}/${kind}` || w.name.endsWith(`/${layer}/${kind}`));
    if (hits.length !== 1) return bad(`${hits.length ? 'several weights match' : 'no weight named'} ${layer}/${kind}`);
    const w = hits[0] as WeightSpec;
    used.add(w.name);
    const data = new Float32Array(sizeOf(w.shape));
    for (let i = 0; i < data.length; i++) {
      const v = view.getFloat32(w.offset + 4 * i, true);
      if (!Number.isFinite(v)) bad(`weight ${w.name} has a non-finite value (${v}) at index ${i}`);
      data[i] = v;
    }
    return { shape: w.shape, data };
  };

  const klayers = layersOf(json);
  const layers: Layer[] = [];
  const params: Float32Array[] = [];
  const buffers: Float32Array[] = [];
  const warnings: string[] = [];
  let shape: number[] | undefined;
  // Pending Keras flatten of an (H, W, C) map: the next Dense's input rows must be re-indexed.
  let flattened: [number, number, number] | null = null;
  const push = (l: Layer): void => {
    if (!shape) bad('the first layer must declare batch_input_shape');
    shape = layerOutputShape(l, shape as number[], layers.length);
    layers.push(l);
  };
  const activation = (name: unknown, i: number, last: boolean): void => {
    if (name === undefined || name === 'linear') return;
    if (name === 'softmax' && last) {
      warnings.push('final softmax dropped: the imported net outputs logits');
      return;
    }
    const fn = typeof name === 'string' ? ACTIVATIONS[name] : undefined;
    if (!fn) throw new UnsupportedLayerError(`tf.LayersModel layer ${i}: activation ${JSON.stringify(name)} is not supported; supported: ${Object.keys(ACTIVATIONS).join(', ')}`);
    push({ type: 'activation', fn });
  };

  klayers.forEach((kl, i) => {
    const cls = kl.class_name as string;
    const cfg = kl.config as Obj;
    const name = typeof cfg.name === 'string' ? cfg.name : bad(`layer ${i} has no name`);
    const last = i === klayers.length - 1;
    if (!shape) {
      const s = inputShape(cfg);
      if (!s || s.some((d) => !Number.isInteger(d) || d < 1)) bad('the first layer must declare a fully known batch_input_shape');
      shape = s;
    }
    if (flattened && !['Dense', 'Dropout', 'Activation', 'ReLU'].includes(cls)) {
      throw new UnsupportedLayerError(`tf.LayersModel layer ${i} (${cls}) after Flatten of a conv map is not supported; a Dense must come next`);
    }
    if (cls === 'InputLayer') return;
    const importer = KERAS_CLASSES.get(cls);
    if (!importer) throw new UnsupportedLayerError(`tf.LayersModel layer ${i} has unsupported class ${JSON.stringify(cls)}; supported: ${SUPPORTED.join(', ')}`);
    importer.read({
      index: i,
      cls,
      cfg,
      last,
      shape: shape as number[],
      get flattened() {
        return flattened;
      },
      set flattened(v) {
        flattened = v;
      },
      weight: (kind) => weight(name, kind),
      weightOf: weight,
      push,
      params,
      buffers,
      activation: (act) => activation(act, i, last),
      bad,
    });
  });
  for (const w of table.keys()) if (!used.has(w)) bad(`weight ${w} belongs to no supported layer`);
  if (!shape) bad('the model has no layers');
  const spec: NetSpec = validateSpec({ version: 1, input: inputShape((klayers[0] as Obj).config as Obj), layers });
  return { spec, params, buffers, warnings };
}

/** The part of an in-memory tf.LayersModel (from @tensorflow/tfjs-layers) the import reads, so nets needs no tfjs-layers. */
export interface LayersModelLike {
  /** The topology, as `model.toJSON(null, false)` returns it. */
  toJSON(unused?: null, returnString?: boolean): unknown;
  /** The weights, in the order model.save writes them. */
  readonly weights: ReadonlyArray<{
    readonly originalName?: string;
    readonly name: string;
    readonly shape: ReadonlyArray<number | null>;
    /** The weight's current value (a tf.Variable's `read()`). */
    read(): {
      /** The values, synchronously. */
      dataSync(): ArrayLike<number>;
      readonly dtype: string;
    };
  }>;
}

/** Imports an in-memory tf.LayersModel (the same result as saving it to model.json and importing that). */
export function importLayersModelObject(model: LayersModelLike): LayersModelImport {
  const weights = model.weights.map((w) => {
    const t = w.read();
    if (t.dtype !== 'float32') bad(`weight ${w.name} is ${t.dtype}; only float32 is supported`);
    return { name: w.originalName ?? w.name, shape: w.shape.map((d) => d ?? NaN), data: Float32Array.from(t.dataSync()) };
  });
  const bytes = new Uint8Array(4 * weights.reduce((n, w) => n + w.data.length, 0));
  let off = 0;
  for (const w of weights) {
    bytes.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), off);
    off += w.data.byteLength;
  }
  const json = { modelTopology: model.toJSON(null, false), weightsManifest: [{ paths: [], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }] };
  return importLayersModel(json, bytes);
}
