export type { Dataset } from './types';
