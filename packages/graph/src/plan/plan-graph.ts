/** Lays out a spec's parameter graph by walking its layers and calling each type's planner. */
import { layerInputShapes, paramInfos, validateSpec, type Layer, type NetSpec, type ParamInfo } from '@metanet/spec';
import { UnsupportedLayerError } from '../errors';
import type { EdgeType, NodeType } from '../types';
import type { LayerPlanner, PlanContext } from './context';
import { blockEdgeCount, structEdgeCount, type GraphPlan, type NodeGroup, type ParamBlock, type StructBlock } from './layout';
import { LAYER_PLANNERS, SUPPORTED_LAYERS } from './planners';

const last = (shape: readonly number[]): number => shape[shape.length - 1] as number;
const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

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

function planLayer<L extends Layer>(layer: L, ctx: PlanContext): void {
  (LAYER_PLANNERS[layer.type] as LayerPlanner<L>)(layer, ctx);
}

/** Throws UnsupportedLayerError for layer types without a planner, and the spec's InvalidSpecError for malformed specs. */
export function planGraph(raw: NetSpec): GraphPlan {
  for (const [i, layer] of (Array.isArray(raw?.layers) ? raw.layers : []).entries()) {
    const type: unknown = (layer as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !Object.hasOwn(LAYER_PLANNERS, type)) {
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
  const vector = (edgeType: EdgeType, srcNode: number, dst: NodeGroup): void => {
    params.push({ kind: 'vector', edgeType, srcNode, dst });
  };
  const pixelInputs = flattensRawInput(spec);
  const ctx: PlanContext = {
    current: pixelInputs ? group(product(spec.input), 0, 'input', 'in', 'index') : group(last(spec.input), 0, 'input', 'in', 'index'),
    depth: 0,
    input: spec.input,
    pixelInputs,
    group,
    single,
    matrix(edgeType, src, dst, kernelH = 1, kernelW = 1, isConv = false) {
      params.push({ kind: 'matrix', edgeType, src, dst, kernelH, kernelW, isConv });
    },
    vector,
    norm(target, module = '') {
      const prefix = module ? `${module}.` : '';
      vector('gamma', single(target.layer, 'gamma', `${prefix}gamma`), target);
      vector('beta', single(target.layer, 'beta', `${prefix}beta`), target);
    },
    struct: (block) => void structs.push(block),
  };

  spec.layers.forEach((layer, i) => {
    specLayer = i;
    ctx.input = inputs[i] as number[];
    planLayer(layer, ctx);
  });

  const cur = ctx.current;
  if (cur.type === 'hidden') {
    cur.type = 'output';
    cur.io = 'index';
  }

  let numParamEdges = 0;
  for (const b of params) numParamEdges += blockEdgeCount(b);
  let numEdges = numParamEdges;
  for (const b of structs) numEdges += structEdgeCount(b);
  // Cannot fail unless the spec's parameter layout changed without the planners following it.
  if (params.length !== infos.length) {
    throw new Error(`internal: graph plan has ${params.length} parameter tensors, paramInfos has ${infos.length}`);
  }
  params.forEach((b, j) => {
    const info = infos[j] as ParamInfo;
    if (blockEdgeCount(b) !== product(info.shape)) throw new Error(`internal: graph plan gives ${info.name} ${blockEdgeCount(b)} edges, its shape [${info.shape.join(', ')}] differs`);
  });
  return { numNodes, numEdges, numParamEdges, groups, params, infos, structs };
}
