/** Builds tf.LayersModel artifacts (model.json object + weight bytes) for tests and fuzzing. */
export interface KerasWeight {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface KerasArtifacts {
  json: Record<string, unknown>;
  weights: Uint8Array;
  values: Map<string, KerasWeight>;
}

/** A small deterministic generator so fixtures need no tfjs. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296 - 0.5;
  };
}

export function kerasModel(layers: Array<{ class_name: string; config: Record<string, unknown> }>, weights: KerasWeight[]): KerasArtifacts {
  const total = weights.reduce((n, w) => n + w.data.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let off = 0;
  for (const w of weights) {
    for (let i = 0; i < w.data.length; i++) view.setFloat32(off + 4 * i, w.data[i] as number, true);
    off += 4 * w.data.length;
  }
  return {
    json: {
      format: 'layers-model',
      generatedBy: 'keras v2.12',
      modelTopology: { class_name: 'Sequential', config: { name: 'seq', layers } },
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
    },
    weights: bytes,
    values: new Map(weights.map((w) => [w.name, w])),
  };
}

/** Conv2D(3) → BN → MaxPool → Flatten → Dropout → Dense(5, relu) → Dense(3, softmax) on 6×6×2. */
export function sampleKerasCnn(seed = 1): KerasArtifacts {
  const r = lcg(seed);
  const w = (name: string, shape: number[], f: () => number = r): KerasWeight => ({ name, shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  return kerasModel(
    [
      { class_name: 'Conv2D', config: { name: 'conv2d', batch_input_shape: [null, 6, 6, 2], filters: 3, kernel_size: [3, 3], strides: [1, 1], padding: 'same', activation: 'relu', use_bias: true, data_format: 'channels_last', dilation_rate: [1, 1] } },
      { class_name: 'BatchNormalization', config: { name: 'batch_normalization', axis: -1, epsilon: 0.001, momentum: 0.99, center: true, scale: true } },
      { class_name: 'MaxPooling2D', config: { name: 'max_pooling2d', pool_size: [2, 2], strides: [2, 2], padding: 'valid' } },
      { class_name: 'Flatten', config: { name: 'flatten' } },
      { class_name: 'Dropout', config: { name: 'dropout', rate: 0.2 } },
      { class_name: 'Dense', config: { name: 'dense', units: 5, activation: 'relu', use_bias: true } },
      { class_name: 'Dense', config: { name: 'dense_1', units: 3, activation: 'softmax', use_bias: true } },
    ],
    [
      w('conv2d/kernel', [3, 3, 2, 3]),
      w('conv2d/bias', [3]),
      w('batch_normalization/gamma', [3], () => 1 + r()),
      w('batch_normalization/beta', [3]),
      w('batch_normalization/moving_mean', [3]),
      w('batch_normalization/moving_variance', [3], () => 1 + r()),
      w('dense/kernel', [27, 5]),
      w('dense/bias', [5]),
      w('dense_1/kernel', [5, 3]),
      w('dense_1/bias', [3]),
    ],
  );
}
