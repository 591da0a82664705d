/**
 * Spec inference for PyTorch `nn.Sequential` state dicts ("0.weight",
 * "1.running_mean", ...). A state dict holds only the modules that own
 * tensors, so what sits at the indices between them (activations, pools,
 * flatten, dropout) and a conv's stride and padding are not in the file.
 * Only the arrangements that leave no doubt (given the assumed activation)
 * are inferred; anything else is a SpecInferenceError that says why, and the
 * user supplies the spec (`--spec`).
 */
import { convOutSize, validateSpec, type ActivationFn, type Layer, type NetSpec } from '@metanet/spec';
import { NetsError } from '../errors';
import { importSafetensors, parseSafetensors, type ImportedNet, type SafetensorsEntry, type SafetensorsFile } from './safetensors';

/** The spec of a state dict cannot be read from its names and shapes alone. */
export class SpecInferenceError extends NetsError {}

/** Hints for spec inference that a state dict cannot carry: input size and activation. */
export interface InferSpecOptions {
  /** Input [H, W] (or [H, W, C]) of a conv net: a state dict does not record it. */
  input?: number[];
  /** The activation assumed at each one-module gap (a state dict does not record it). Default 'relu'. */
  activation?: ActivationFn;
}

/** An inferred spec and the assumptions made to reach it (reported to the user). */
export interface InferredSpec {
  spec: NetSpec;
  /** The name prefix before the layer index ('' for a bare nn.Sequential, 'layers.' ...). */
  prefix: string;
  /** The assumptions made, one line each. */
  assumptions: string[];
}

type Module = { index: number; kind: 'dense' | 'conv2d' | 'batchnorm' | 'layernorm'; out: number; in: number; kernel?: [number, number]; bias: boolean };

const fail = (why: string): never => {
  throw new SpecInferenceError(`cannot infer the spec from the state dict: ${why}; pass the spec (--spec spec.json)`);
};

function modulesOf(entries: Map<string, SafetensorsEntry>): { prefix: string; modules: Module[] } {
  const byIndex = new Map<number, Map<string, number[]>>();
  let prefix: string | null = null;
  for (const [name, e] of entries) {
    const m = /^(.*?)(\d+)\.(weight|bias|running_mean|running_var|num_batches_tracked)$/.exec(name);
    if (!m) return fail(`tensor ${name} is not "<index>.<weight|bias|running_mean|running_var>" of an nn.Sequential (nested blocks are not inferred)`);
    const [, pre, idx, field] = m as unknown as [string, string, string, string];
    if (prefix !== null && pre !== prefix) fail(`tensor names use two prefixes, ${JSON.stringify(prefix)} and ${JSON.stringify(pre)}`);
    prefix = pre;
    const tensors = byIndex.get(Number(idx)) ?? new Map<string, number[]>();
    tensors.set(field, e.shape);
    byIndex.set(Number(idx), tensors);
  }
  if (prefix === null) return fail('the file holds no tensors');
  const modules = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([index, t]): Module => {
    const w = t.get('weight') ?? fail(`module ${index} has no weight`);
    const bias = t.has('bias');
    if (w.length === 2) return { index, kind: 'dense', out: w[0] as number, in: w[1] as number, bias };
    if (w.length === 4) return { index, kind: 'conv2d', out: w[0] as number, in: w[1] as number, kernel: [w[2] as number, w[3] as number], bias };
    if (w.length === 1 && bias) return { index, kind: t.has('running_mean') ? 'batchnorm' : 'layernorm', out: w[0] as number, in: w[0] as number, bias };
    return fail(`module ${index} has a weight of shape [${w.join(', ')}], which is neither linear (2-D), conv (4-D) nor a norm (1-D with a bias)`);
  });
  return { prefix, modules };
}

/** The layers at the indices between two modules, or a SpecInferenceError when they are ambiguous. */
function gapLayers(prev: Module, next: Module | undefined, gap: number, act: ActivationFn, flat: boolean): Layer[] {
  const where = `between modules ${prev.index} and ${next?.index ?? 'the end'}`;
  if (next?.kind === 'dense' && !flat) {
    // A conv map reaches a linear layer only through a Flatten: one module is the Flatten, two an activation and the Flatten.
    if (gap === 1) return [{ type: 'flatten' }];
    if (gap === 2) return [{ type: 'activation', fn: act }, { type: 'flatten' }];
    return fail(`${gap} modules ${where} (a conv map and a linear) could be pools, activations or dropout`);
  }
  if (gap === 0) return [];
  if (gap === 1) return [{ type: 'activation', fn: act }];
  if (gap === 2 && (prev.kind === 'dense' || flat)) return [{ type: 'activation', fn: act }, { type: 'dropout', rate: 0 }];
  return fail(`${gap} parameter-free modules ${where} could be pools, activations or dropout`);
}

/** Infers the spec of an nn.Sequential state dict of Linear, Conv2d (stride 1), BatchNorm and LayerNorm modules. */
export function inferSafetensorsSpec(file: SafetensorsFile, opts: InferSpecOptions = {}): InferredSpec {
  const { prefix, modules } = modulesOf(file.entries);
  const act = opts.activation ?? 'relu';
  const first = modules[0] as Module;
  if (first.index !== 0) fail(`the first module with tensors has index ${first.index}; modules before it are unknown`);
  const conv = modules.some((m) => m.kind === 'conv2d');
  const assumptions = [`activations are not stored in a state dict: ${act} assumed at each one-module gap`];
  let input: number[];
  if (conv) {
    const hw = opts.input ?? fail('a conv net\'s input size is not in its state dict (give it: input [H, W], or --input-size N in the CLI)');
    if (first.kind !== 'conv2d') fail('the first module of a conv net must be a conv');
    input = [hw[0] as number, hw[1] as number, first.in];
  } else input = [first.in];
  // A conv's stride and padding are not stored: try stride 1 with no padding and with 'same'-size padding, keep the one the linear sizes confirm.
  const candidates: ('valid' | 'half')[] = conv ? ['valid', 'half'] : ['valid'];
  const fits: Layer[][] = [];
  for (const pad of candidates) {
    const layers: Layer[] = [];
    let flat = !conv;
    let shape = input;
    let ok = true;
    modules.forEach((m, k) => {
      if (m.kind === 'dense') {
        const features = shape.reduce((a, b) => a * b, 1);
        if (features !== m.in) ok = false;
        layers.push({ type: 'dense', units: m.out, bias: m.bias });
        shape = [m.out];
      } else if (m.kind === 'conv2d') {
        const [kh, kw] = m.kernel as [number, number];
        const padding = pad === 'half' ? (kh === kw && kh % 2 === 1 ? (kh - 1) / 2 : -1) : 0;
        if (padding < 0 || shape.length !== 3 || shape[2] !== m.in) ok = false;
        layers.push({ type: 'conv2d', filters: m.out, kernel: kh === kw ? kh : [kh, kw], padding: Math.max(padding, 0), bias: m.bias });
        shape = [convOutSize(shape[0] as number, kh, 1, Math.max(padding, 0)), convOutSize(shape[1] as number, kw, 1, Math.max(padding, 0)), m.out];
        if ((shape[0] as number) < 1 || (shape[1] as number) < 1) ok = false;
      } else layers.push(m.kind === 'batchnorm' ? { type: 'batchnorm' } : { type: 'layernorm' });
      const next = modules[k + 1];
      const gap = (next?.index ?? m.index + 1) - m.index - 1;
      const between = gapLayers(m, next, gap, act, flat);
      if (between.some((l) => l.type === 'flatten')) {
        flat = true;
        shape = [shape.reduce((a, b) => a * b, 1)];
      }
      layers.push(...between);
    });
    if (ok) fits.push(layers);
  }
  if (fits.length !== 1) fail(fits.length ? 'both unpadded and same-size padded convs fit the linear sizes' : 'no stride-1 conv geometry (unpadded or same-size padded, no pooling) gives the linear layer its input size');
  if (conv) assumptions.push('conv strides and padding are not stored: stride 1 and the padding the linear sizes confirm');
  return { spec: validateSpec({ version: 1, input, layers: fits[0] as Layer[] }), prefix, assumptions };
}

/** Reads an nn.Sequential state dict from .safetensors bytes, inferring its spec (see inferSafetensorsSpec). */
export function importSafetensorsInferred(bytes: Uint8Array, opts: InferSpecOptions = {}): ImportedNet & { assumptions: string[] } {
  const inferred = inferSafetensorsSpec(parseSafetensors(bytes), opts);
  return { ...importSafetensors(bytes, inferred.spec, { prefix: inferred.prefix }), assumptions: inferred.assumptions };
}
