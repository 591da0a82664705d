/** Keras functional models and in-memory tf.LayersModels, checked against tfjs-layers' own predict. */
import * as tfl from '@tensorflow/tfjs-layers';
import { tf } from '@metanet/tensor';
import { bufferInfos, paramInfos, UnsupportedLayerError } from '@metanet/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardWithBuffers, importLayersModel, importLayersModelObject, type ImportedNet } from '../src/index';
import { lcg } from './support/keras';
import { setupBackend } from './support/backend';

beforeAll(async () => {
  await setupBackend();
});

type SymT = tfl.SymbolicTensor;
const conv = (x: SymT, filters: number, kernelSize: number, strides = 1, useBias = false): SymT =>
  tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias }).apply(x) as SymT;
const bn = (x: SymT): SymT => tfl.layers.batchNormalization().apply(x) as SymT;
const relu = (x: SymT): SymT => tfl.layers.reLU().apply(x) as SymT;

/** A small functional ResNet: stem, an identity block, a stride-2 projection block (on an odd 7×7 map), pool, dense. */
function resnet(): tfl.LayersModel {
  const inp = tfl.input({ shape: [7, 7, 3] });
  const stem = relu(bn(conv(inp, 4, 3, 1, true)));
  const a = relu(tfl.layers.add().apply([bn(conv(relu(bn(conv(stem, 4, 3))), 4, 3)), stem]) as SymT);
  const main = bn(conv(relu(bn(conv(a, 6, 3, 2))), 6, 3));
  const b = relu(tfl.layers.add().apply([main, bn(conv(a, 6, 1, 2))]) as SymT);
  const out = tfl.layers.dense({ units: 3 }).apply(tfl.layers.globalAveragePooling2d({}).apply(b)) as SymT;
  const model = tfl.model({ inputs: inp, outputs: out });
  // Fresh batch norms are the identity: random statistics make the test see them.
  const rnd = lcg(11);
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const c = layer.getWeights()[0]!.shape[0] as number;
    const vec = (f: () => number): tf.Tensor => tf.tensor1d(Array.from({ length: c }, f));
    layer.setWeights([vec(() => 1 + 0.4 * rnd()), vec(() => 0.4 * rnd()), vec(() => 0.4 * rnd()), vec(() => 1 + rnd())]);
  }
  return model;
}

function ours(net: ImportedNet, x: tf.Tensor): Float32Array {
  return tf.tidy(() => {
    const params = net.params.map((p, k) => tf.tensor(p, paramInfos(net.spec)[k]!.shape));
    const buffers = net.buffers.map((b, k) => tf.tensor(b, bufferInfos(net.spec)[k]!.shape));
    return forwardWithBuffers(net.spec, params, x, { buffers }).output.dataSync() as Float32Array;
  });
}

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - (b[i] as number))));

describe('Keras functional import', () => {
  it('maps residual adds onto residual blocks, matching tfjs-layers within 1e-5 (in memory and via model.json)', () => {
    const model = resnet();
    const x = tf.randomNormal([4, 7, 7, 3], 0, 1, 'float32', 3);
    const theirs = (model.predict(x) as tf.Tensor).dataSync();
    const net = importLayersModelObject(model);
    expect(net.spec.input).toEqual([7, 7, 3]);
    expect(net.spec.layers.map((l) => l.type)).toEqual(['conv2d', 'batchnorm', 'activation', 'residual', 'residual', 'globalavgpool', 'dense']);
    expect(net.spec.layers.filter((l) => l.type === 'residual')).toEqual([
      { type: 'residual', filters: 4, stride: 1, shortcut: 'identity' },
      { type: 'residual', filters: 6, stride: 2, shortcut: 'conv1x1' },
    ]);
    const diff = maxAbs(ours(net, x), theirs);
    console.log(JSON.stringify({ model: 'keras functional resnet', maxAbsDiffVsTfjsLayers: diff }));
    expect(diff).toBeLessThan(1e-5);

    // The same model through the model.json route: topology JSON plus the weights as one buffer.
    const data = model.weights.map((w) => Float32Array.from(w.read().dataSync()));
    const bytes = new Uint8Array(data.reduce((n, d) => n + d.byteLength, 0));
    data.reduce((off, d) => (bytes.set(new Uint8Array(d.buffer), off), off + d.byteLength), 0);
    const json = { modelTopology: JSON.parse(model.toJSON(null, true) as string), weightsManifest: [{ paths: ['w.bin'], weights: model.weights.map((w) => ({ name: w.originalName, shape: w.shape, dtype: 'float32' })) }] };
    const fromJson = importLayersModel(json, bytes);
    expect(fromJson.spec).toEqual(net.spec);
    expect(maxAbs(ours(fromJson, x), theirs)).toBeLessThan(1e-5);
    x.dispose();
  });

  it('imports an in-memory Sequential model', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [5], units: 8, activation: 'tanh' }), tfl.layers.dense({ units: 2 })] });
    const x = tf.randomNormal([3, 5], 0, 1, 'float32', 5);
    const net = importLayersModelObject(model);
    expect(net.spec.layers.map((l) => l.type)).toEqual(['dense', 'activation', 'dense']);
    expect(maxAbs(ours(net, x), (model.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-5);
  });

  it('says a model with two inputs has no NetSpec, and so does an add that is not a residual block', () => {
    const a = tfl.input({ shape: [4] });
    const b = tfl.input({ shape: [4] });
    const two = tfl.model({ inputs: [a, b], outputs: tfl.layers.dense({ units: 2 }).apply(tfl.layers.add().apply([a, b])) as SymT });
    expect(() => importLayersModelObject(two)).toThrow(UnsupportedLayerError);
    expect(() => importLayersModelObject(two)).toThrow(/has 2 inputs .*a NetSpec has one input/);
    const inp = tfl.input({ shape: [4] });
    const h = tfl.layers.dense({ units: 4 }).apply(inp) as SymT;
    const skip = tfl.model({ inputs: inp, outputs: tfl.layers.add().apply([h, inp]) as SymT });
    expect(() => importLayersModelObject(skip)).toThrow(/feeds 2 layers .*only as a ResNet BasicBlock/);
  });
});
