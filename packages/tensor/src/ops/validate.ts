import type { Tensor } from '@tensorflow/tfjs-core';
import { InvalidTensorArgumentError } from '../errors';

export function expectRank(name: string, t: Tensor, rank: number, what: string): void {
  if (t.rank !== rank) {
    throw new InvalidTensorArgumentError(`${name}: ${what} must have rank ${rank}, got shape [${t.shape}]; reshape it first`);
  }
}

export function expectInt32(name: string, t: Tensor, what: string): void {
  if (t.dtype !== 'int32') {
    throw new InvalidTensorArgumentError(`${name}: ${what} must be int32, got ${t.dtype}; cast it with tf.cast(t, 'int32')`);
  }
}

export function expectSegments(name: string, x: Tensor, segIds: Tensor, numSegments: number): void {
  expectRank(name, x, 2, 'x');
  expectRank(name, segIds, 1, 'segIds');
  expectInt32(name, segIds, 'segIds');
  if (segIds.shape[0] !== x.shape[0]) {
    throw new InvalidTensorArgumentError(`${name}: segIds has ${segIds.shape[0]} entries but x has ${x.shape[0]} rows; pass one id per row`);
  }
  if (!Number.isInteger(numSegments) || numSegments < 0) {
    throw new InvalidTensorArgumentError(`${name}: numSegments must be a non-negative integer, got ${numSegments}`);
  }
}
