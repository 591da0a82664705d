import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architecture, bufferInfos, paramInfos, UnsupportedLayerError, validateSpec } from '@metanet/spec';
import {
  exportSafetensors,
  forward,
  importLayersModel,
  importSafetensors,
  initParamArrays,
  InvalidNetFileError,
  InvalidWeightsError,
  loadLayersModel,
  loadSafetensors,
} from '../src/index';
import { setupBackend } from './support/backend';
import { kerasModel, sampleKerasCnn, type KerasArtifacts } from './support/keras';

const root = mkdtempSync(join(tmpdir(), 'nets-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  await setupBackend();
});

/** The Keras semantics written directly with tf ops on Keras layouts (HWIO kernels, HWC flatten). */
function kerasReference(a: KerasArtifacts, x: tf.Tensor4D): tf.Tensor {
  const v = (name: string): tf.Tensor => {
    const w = a.values.get(name)!;
    return tf.tensor(w.data, w.shape);
  };
  let h: tf.Tensor = tf.relu(tf.add(tf.conv2d(x, v('conv2d/kernel') as tf.Tensor4D, 1, 'same'), v('conv2d/bias')));
  h = tf.add(tf.mul(tf.div(tf.sub(h, v('batch_normalization/moving_mean')), tf.sqrt(tf.add(v('batch_normalization/moving_variance'), 0.001))), v('batch_normalization/gamma')), v('batch_normalization/beta'));
  h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
  h = tf.reshape(h, [x.shape[0], -1]);
  h = tf.relu(tf.add(tf.matMul(h as tf.Tensor2D, v('dense/kernel') as tf.Tensor2D), v('dense/bias')));
  return tf.add(tf.matMul(h as tf.Tensor2D, v('dense_1/kernel') as tf.Tensor2D), v('dense_1/bias'));
}

describe('importLayersModel', () => {
  it('converts layouts and the HWC flatten so the function is preserved', () => {
    const a = sampleKerasCnn(3);
    const net = importLayersModel(a.json, a.weights);
    expect(net.warnings).toEqual(['final softmax dropped: the imported net outputs logits']);
    expect(net.spec.input).toEqual([6, 6, 2]);
    expect(net.spec.layers.map((l) => l.type)).toEqual(['conv2d', 'activation', 'batchnorm', 'maxpool', 'flatten', 'dropout', 'dense', 'activation', 'dense']);
    const x = tf.randomNormal([4, 6, 6, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
    const ours = forward(
      net.spec,
      net.params.map((p, k) => tf.tensor(p, paramInfos(net.spec)[k]!.shape)),
      x,
      { buffers: net.buffers.map((b, k) => tf.tensor(b, bufferInfos(net.spec)[k]!.shape)) },
    );
    const ref = kerasReference(a, x);
    expect(tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('loads model.json and shards from disk, refusing paths that leave the directory', () => {
    const a = sampleKerasCnn(1);
    const dir = mkdtempSync(join(root, 'keras-'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(a.json));
    writeFileSync(join(dir, 'group1-shard1of1.bin'), a.weights);
    expect(loadLayersModel(dir).spec).toEqual(importLayersModel(a.json, a.weights).spec);
    const evil = structuredClone(a.json) as { weightsManifest: { paths: string[] }[] };
    evil.weightsManifest[0]!.paths = ['../../etc/passwd'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(evil));
    expect(() => loadLayersModel(dir)).toThrow(/stay in the model directory/);
    mkdirSync(join(dir, 'sub'));
    expect(() => loadLayersModel(join(dir, 'sub'))).toThrow(/missing/);
  });

  it('rejects unsupported layers, truncated weights and NaN with typed errors', () => {
    const a = sampleKerasCnn(1);
    expect(() => importLayersModel(a.json, a.weights.subarray(0, 100))).toThrow(InvalidNetFileError);
    const lstm = kerasModel([{ class_name: 'LSTM', config: { name: 'lstm', batch_input_shape: [null, 3, 4] } }], []);
    expect(() => importLayersModel(lstm.json, lstm.weights)).toThrow(UnsupportedLayerError);
    expect(() => importLayersModel(lstm.json, lstm.weights)).toThrow(/LSTM.*supported: InputLayer, Dense/);
    const nan = new Uint8Array(a.weights);
    new DataView(nan.buffer).setFloat32(8, NaN, true);
    expect(() => importLayersModel(a.json, nan)).toThrow(/non-finite/);
  });
});

describe('safetensors', () => {
  const spec = architecture('resnet-mini', { width: 2, inputSize: 8 });

  it('round-trips PyTorch-named tensors, with or without the layers. prefix', () => {
    const params = initParamArrays(spec, { seed: 2 });
    const buffers = bufferInfos(spec).map((b, k) => Float32Array.from({ length: b.shape[0]! }, (_, i) => 1 + i + k));
    const bytes = exportSafetensors(spec, params, buffers);
    const back = importSafetensors(bytes, spec);
    expect(back.params).toEqual(params);
    expect(back.buffers).toEqual(buffers);
    const bare = exportSafetensors(spec, params, buffers, '');
    expect(importSafetensors(bare, spec).params).toEqual(params);
    const dir = mkdtempSync(join(root, 'st-'));
    writeFileSync(join(dir, 'w.safetensors'), bytes);
    expect(loadSafetensors(join(dir, 'w.safetensors'), spec).params).toEqual(params);
  });

  it('decodes F16 / BF16 / F64 and skips num_batches_tracked', () => {
    const mlp = architecture('mlp:2-1');
    const header = {
      'layers.0.weight': { dtype: 'F16', shape: [1, 2], data_offsets: [0, 4] },
      'layers.0.bias': { dtype: 'F64', shape: [1], data_offsets: [4, 12] },
      'layers.0.num_batches_tracked': { dtype: 'I64', shape: [], data_offsets: [12, 20] },
    };
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + 20);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    const d = 8 + json.length;
    v.setUint16(d, 0x3c00, true); // 1.0
    v.setUint16(d + 2, 0xc000, true); // -2.0
    v.setFloat64(d + 4, 0.5, true);
    const net = importSafetensors(out, mlp);
    expect(Array.from(net.params[0]!)).toEqual([1, -2]);
    expect(Array.from(net.params[1]!)).toEqual([0.5]);
  });

  it('validates header length, offsets, shapes and names', () => {
    const params = initParamArrays(spec, { seed: 2 });
    const bytes = exportSafetensors(spec, params);
    expect(() => importSafetensors(bytes.subarray(0, 5), spec)).toThrow(/fewer than the 8-byte/);
    expect(() => importSafetensors(bytes.subarray(0, bytes.length - 4), spec)).toThrow(InvalidNetFileError);
    const lying = new Uint8Array(bytes);
    new DataView(lying.buffer).setBigUint64(0, 2n ** 60n, true);
    expect(() => importSafetensors(lying, spec)).toThrow(/header length/);
    expect(() => importSafetensors(bytes, architecture('resnet-mini', { width: 3, inputSize: 8 }))).toThrow(InvalidWeightsError);
    expect(() => importSafetensors(bytes, architecture('mlp:4-2'))).toThrow(/has shape \[2, 1, 3, 3\]/);
    const other = validateSpec({ input: [8, 8, 1], layers: [{ type: 'conv2d', filters: 2, kernel: 3, padding: 1 }, { type: 'batchnorm' }, { type: 'activation', fn: 'relu' }, { type: 'globalavgpool' }, { type: 'dense', units: 2 }] });
    expect(() => importSafetensors(bytes, other)).toThrow(/layers\.4\.weight is missing/);
    const extra = exportSafetensors(spec, params);
    expect(() => importSafetensors(extra, validateSpec({ input: [8, 8, 1], layers: [{ type: 'conv2d', filters: 2, kernel: 3, padding: 1 }] }))).toThrow(/not part of the spec/);
  });
});
