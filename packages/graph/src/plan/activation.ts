import type { ActivationLayer } from '@metanet/spec';
import type { LayerPlanner } from './context';

/** No parameters, and every neuron/channel keeps its identity: nothing to add. */
export const activation: LayerPlanner<ActivationLayer> = () => {};
