export * from './errors';
export * from './types';
export * from './splits';
export * from './score';
export * from './gmn-predictor';
export * from './methods';
export * from './experiment';
