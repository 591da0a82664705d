export * from './spec/index';
