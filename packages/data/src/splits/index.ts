export type { ForgetRetainSplit } from './types';
export { forgetClassSplit, type ForgetClassOptions } from './forget-class';
export { randomSubset, type RandomSubset, type SubsetSize } from './random-subset';
export { subPopulationSplit, type SubPopulationOptions } from './sub-population';
export { trainValTestSplit, type TrainValTestOptions, type TrainValTestSplit } from './train-val-test';
export { splitDataset } from './materialise';
