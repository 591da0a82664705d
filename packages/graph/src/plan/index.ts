export { planGraph } from './plan-graph';
export { LAYER_PLANNERS, SUPPORTED_LAYERS } from './planners';
export type { LayerPlanner, LayerPlanners, PlanContext } from './context';
export { blockEdgeCount, structEdgeCount, NODE_TYPE_ID, EDGE_TYPE_ID, type GraphPlan, type NodeGroup, type ParamBlock, type StructBlock } from './layout';
