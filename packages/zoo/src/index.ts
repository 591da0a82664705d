export * from './errors';
export * from './record';
export * from './predict/index';
export * from './baselines/index';
