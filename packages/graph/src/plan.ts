/**
 * The layout of a spec's parameter graph, computed from the spec alone (no weights):
 * node groups and edge blocks. `toParameterGraph` fills typed arrays from it in one pass,
 * `fromParameterGraph` only needs its parameter blocks. Keeping the layout separate from the
 * filling is what lets both directions agree by construction.
 */
import { layerInputShapes, paramInfos, residualGeometry, validateSpec, type Layer, type LayerType, type NetSpec, type ParamInfo } from '@metanet/spec';
import { UnsupportedLayerError } from './errors';
import { EDGE_TYPES, NODE_TYPES, type EdgeType, type NodeType } from './types';

/**
 * Layer types the graph encodes. Listed here rather than taken from nets' LAYER_TYPES so that a
 * layer type added to NetSpec is rejected until this file encodes it.
 */
export const SUPPORTED_LAYERS: readonly LayerType[] = [
  'dense',
  'conv2d',
  'batchnorm',
  'layernorm',
  'activation',
  'avgpool',
  'maxpool',
  'globalavgpool',
  'flatten',
  'dropout',
  'residual',
  'attention',
];

/** A contiguous run of nodes sharing layer and type. */
export interface NodeGroup {
  start: number;
  count: number;
  layer: number;
  type: NodeType;
  /**
   * How `ioIndex` is set: 'none' → −1; 'index' → position in the group (network inputs and
   * outputs); 'position' → spatial position (spatial nodes of a flatten).
   */
  io: 'none' | 'index' | 'position';
  /** For 'position' groups: positions per channel and channel-major (C,H,W) vs position-major (T,D) order. */
  positions: number;
  channelMajor: boolean;
  /** Width W of the (H, W) map for image flattens (kh = p / W, kw = p % W); 0 for sequences. */
  mapWidth: number;
  /** Index in `spec.layers` of the layer that created the group; −1 for the network inputs. */
  specLayer: number;
  /** Short role inside that layer, for labels: 'out', 'bias', 'gamma', 'q', 'heads', 'shortcut', ... */
  role: string;
}

/** Edges of one parameter tensor. */
export type ParamBlock =
  | {
      kind: 'matrix';
      /** Weight (out, in, ...kernel) with K = kernel size (1 for dense). */
      edgeType: EdgeType;
      src: NodeGroup;
      dst: NodeGroup;
      kernelH: number;
      kernelW: number;
      isConv: boolean;
    }
  | { kind: 'vector'; edgeType: EdgeType; srcNode: number; dst: NodeGroup };

/** Parameter-free edges (value 1). */
export type StructBlock =
  | { kind: 'oneToOne'; edgeType: EdgeType; src: NodeGroup; dst: NodeGroup }
  | { kind: 'flatten'; src: NodeGroup; dst: NodeGroup }
  /** Neuron j of `members` ↔ head floor(j / size); `toHead` picks the direction. */
  | { kind: 'head'; members: NodeGroup; heads: NodeGroup; size: number; toHead: boolean };

export interface GraphPlan {
  numNodes: number;
  numEdges: number;
  /** Number of parameter edges P (= total parameter count). */
  numParamEdges: number;
  groups: NodeGroup[];
  /** Parallel to `infos`. */
  params: ParamBlock[];
  infos: ParamInfo[];
  structs: StructBlock[];
}

export const NODE_TYPE_ID: Readonly<Record<NodeType, number>> = Object.fromEntries(NODE_TYPES.map((t, i) => [t, i])) as Record<NodeType, number>;
export const EDGE_TYPE_ID: Readonly<Record<EdgeType, number>> = Object.fromEntries(EDGE_TYPES.map((t, i) => [t, i])) as Record<EdgeType, number>;

export function blockEdgeCount(b: ParamBlock): number {
  return b.kind === 'vector' ? b.dst.count : b.dst.count * b.src.count * b.kernelH * b.kernelW;
}

export function structEdgeCount(b: StructBlock): number {
  return b.kind === 'head' ? b.members.count : b.dst.count;
}

const last = (shape: number[]): number => shape[shape.length - 1] as number;
const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Layers that leave neurons untouched, so a flatten after only these can index the raw inputs. */
const PASS_THROUGH: ReadonlySet<string> = new Set(['activation', 'dropout']);

/**
 * Whether the network's inputs should be one node per element rather than per channel:
 * the first layer that mixes neurons is a flatten of a multi-position input (e.g. an MLP on
 * [28, 28, 1]), so the dense layer's weights index pixels directly and no flatten edges are needed.
 */
function flattensRawInput(spec: NetSpec): boolean {
  if (spec.input.length < 2 || product(spec.input.slice(0, -1)) === 1) return false;
  for (const layer of spec.layers) {
    if (layer.type === 'flatten') return true;
    if (!PASS_THROUGH.has(layer.type)) return false;
  }
  return false;
}

/** Throws UnsupportedLayerError for unknown layer types, and nets' InvalidSpecError for malformed specs. */
export function planGraph(raw: NetSpec): GraphPlan {
  for (const [i, layer] of (Array.isArray(raw?.layers) ? raw.layers : []).entries()) {
    const type: unknown = (layer as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !(SUPPORTED_LAYERS as readonly string[]).includes(type)) {
      throw new UnsupportedLayerError(
        `layers[${i}] has type ${JSON.stringify(type) ?? 'undefined'}, which the parameter graph cannot encode; supported: ${SUPPORTED_LAYERS.join(', ')}`,
      );
    }
  }
  const spec = validateSpec(raw);
  const inputs = layerInputShapes(spec);
  const infos = paramInfos(spec);
  const groups: NodeGroup[] = [];
  const params: ParamBlock[] = [];
  const structs: StructBlock[] = [];
  let numNodes = 0;

  let specLayer = -1;
  const group = (count: number, layer: number, type: NodeType, role: string, io: NodeGroup['io'] = 'none', extra: Partial<NodeGroup> = {}): NodeGroup => {
    const g: NodeGroup = { start: numNodes, count, layer, type, io, positions: 0, channelMajor: true, mapWidth: 0, specLayer, role, ...extra };
    numNodes += count;
    groups.push(g);
    return g;
  };
  const single = (layer: number, type: NodeType, role: string = type): number => group(1, layer, type, role).start;
  const matrix = (edgeType: EdgeType, src: NodeGroup, dst: NodeGroup, kernelH = 1, kernelW = 1, isConv = false): void => {
    params.push({ kind: 'matrix', edgeType, src, dst, kernelH, kernelW, isConv });
  };
  const vector = (edgeType: EdgeType, srcNode: number, dst: NodeGroup): void => {
    params.push({ kind: 'vector', edgeType, srcNode, dst });
  };
  /** γ and β nodes of a normalisation acting on `target`'s channels, at their depth. */
  const norm = (target: NodeGroup, module = ''): void => {
    const prefix = module ? `${module}.` : '';
    vector('gamma', single(target.layer, 'gamma', `${prefix}gamma`), target);
    vector('beta', single(target.layer, 'beta', `${prefix}beta`), target);
  };

  const pixelInputs = flattensRawInput(spec);
  let cur = pixelInputs
    ? group(product(spec.input), 0, 'input', 'in', 'index')
    : group(last(spec.input), 0, 'input', 'in', 'index');
  let depth = 0;

  spec.layers.forEach((layer: Layer, i) => {
    const inShape = inputs[i] as number[];
    specLayer = i;
    switch (layer.type) {
      case 'dense': {
        const dst = group(layer.units, ++depth, 'hidden', 'out');
        matrix('dense', cur, dst);
        if (layer.bias !== false) vector('bias', single(depth, 'bias'), dst);
        cur = dst;
        break;
      }
      case 'conv2d': {
        const [kh, kw] = typeof layer.kernel === 'number' ? [layer.kernel, layer.kernel] : layer.kernel;
        const dst = group(layer.filters, ++depth, 'hidden', 'out');
        matrix('conv', cur, dst, kh, kw, true);
        if (layer.bias !== false) vector('bias', single(depth, 'bias'), dst);
        cur = dst;
        break;
      }
      case 'batchnorm':
      case 'layernorm':
        norm(cur);
        break;
      case 'residual': {
        const x = cur;
        const f = layer.filters;
        const h1 = group(f, ++depth, 'hidden', 'conv1');
        matrix('conv', x, h1, 3, 3, true);
        norm(h1, 'bn1');
        const out = group(f, ++depth, 'hidden', 'out');
        matrix('conv', h1, out, 3, 3, true);
        norm(out, 'bn2');
        if (residualGeometry(layer, last(inShape)).projection) {
          // The projection's output gets its own nodes (beside conv1's), so its BN has
          // channels of its own and the sum happens on the residual edges into `out`.
          const sc = group(f, depth - 1, 'hidden', 'shortcut');
          matrix('conv', x, sc, 1, 1, true);
          norm(sc, 'downsample.1');
          structs.push({ kind: 'oneToOne', edgeType: 'residual', src: sc, dst: out });
        } else {
          structs.push({ kind: 'oneToOne', edgeType: 'residual', src: x, dst: out });
        }
        cur = out;
        break;
      }
      case 'attention': {
        const x = cur;
        const d = x.count;
        const bias = layer.bias !== false;
        const q = group(d, ++depth, 'hidden', 'q');
        matrix('attn_q', x, q);
        if (bias) vector('bias', single(depth, 'bias', 'q.bias'), q);
        const k = group(d, depth, 'hidden', 'k');
        matrix('attn_k', x, k);
        if (bias) vector('bias', single(depth, 'bias', 'k.bias'), k);
        const heads = group(layer.heads, ++depth, 'head', 'heads');
        // V's nodes stand for the values as mixed by their head, so they sit after the heads.
        const v = group(d, ++depth, 'hidden', 'v');
        matrix('attn_v', x, v);
        if (bias) vector('bias', single(depth, 'bias', 'v.bias'), v);
        const o = group(d, ++depth, 'hidden', 'out');
        matrix('attn_o', v, o);
        if (bias) vector('bias', single(depth, 'bias'), o);
        const size = d / layer.heads;
        structs.push({ kind: 'head', members: q, heads, size, toHead: true });
        structs.push({ kind: 'head', members: k, heads, size, toHead: true });
        structs.push({ kind: 'head', members: v, heads, size, toHead: false });
        cur = o;
        break;
      }
      case 'flatten': {
        const positions = product(inShape) / last(inShape);
        if (inShape.length < 2 || positions === 1 || (pixelInputs && cur.type === 'input')) break;
        const image = inShape.length === 3;
        const dst = group(product(inShape), ++depth, 'spatial', 'out', 'position', {
          positions,
          channelMajor: image, // torch.flatten of NCHW is (C, H, W); of (T, D) it is row-major
          mapWidth: image ? (inShape[1] as number) : 0,
        });
        structs.push({ kind: 'flatten', src: cur, dst });
        cur = dst;
        break;
      }
      case 'activation':
      case 'dropout':
      case 'avgpool':
      case 'maxpool':
      case 'globalavgpool':
        // Neurons/channels keep their identity.
        break;
      default: {
        const unhandled: never = layer;
        throw new UnsupportedLayerError(`layers[${i}] has type ${JSON.stringify((unhandled as Layer).type)}, which the parameter graph cannot encode; supported: ${SUPPORTED_LAYERS.join(', ')}`);
      }
    }
  });

  if (cur.type === 'hidden') {
    cur.type = 'output';
    cur.io = 'index';
  }

  let numParamEdges = 0;
  for (const b of params) numParamEdges += blockEdgeCount(b);
  let numEdges = numParamEdges;
  for (const b of structs) numEdges += structEdgeCount(b);
  // Cannot fail unless nets' parameter layout changed without this file following it.
  if (params.length !== infos.length) {
    throw new Error(`internal: graph plan has ${params.length} parameter tensors, paramInfos has ${infos.length}`);
  }
  params.forEach((b, j) => {
    const info = infos[j] as ParamInfo;
    if (blockEdgeCount(b) !== product(info.shape)) throw new Error(`internal: graph plan gives ${info.name} ${blockEdgeCount(b)} edges, its shape [${info.shape.join(', ')}] differs`);
  });
  return { numNodes, numEdges, numParamEdges, groups, params, infos, structs };
}
