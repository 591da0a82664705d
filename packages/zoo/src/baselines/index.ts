export * from './stat-features';
export * from './mlp-regressor';
export * from './vector-method';
export * from './statnn';
export * from './hparams';
export * from './flat';
export * from './gbt';
