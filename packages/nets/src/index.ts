export type * from './spec/types';
