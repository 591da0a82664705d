/**
 * Node colours by parameter-graph node type, shared by the explorer and the build-time SVG figures
 * (scripts/svg-graph.mjs), so a figure and the live graph read the same.
 */
export const NODE_COLORS: Readonly<Record<string, string>> = {
  input: '#4e79a7',
  hidden: '#59a14f',
  output: '#e15759',
  bias: '#f28e2b',
  gamma: '#b07aa1',
  beta: '#ff9da7',
  spatial: '#76b7b2',
  head: '#edc948',
};

/** Edge colours by sign, as TensorFlow Playground shows weights: blue positive, orange negative. */
export const POSITIVE = '#2b6cb0';
export const NEGATIVE = '#dd6b20';
