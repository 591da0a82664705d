export * from './errors';
export * from './record';
