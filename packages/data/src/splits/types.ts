/** Indices into one dataset (any split: train, val or test), ascending. */
export interface ForgetRetainSplit {
  readonly forget: Int32Array;
  readonly retain: Int32Array;
}
