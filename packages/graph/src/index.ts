export * from './types';
export * from './errors';
export { toParameterGraph, type ToParameterGraphOptions } from './build';
export { fromParameterGraph, edgeValues } from './invert';
export { SUPPORTED_LAYERS } from './plan';
