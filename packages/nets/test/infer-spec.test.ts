/** Spec inference from PyTorch nn.Sequential state dicts saved by test/fixtures/onnx/export.py. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '@metanet/tensor';
import { bufferInfos, paramInfos } from '@metanet/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSafetensors, forwardWithBuffers, importSafetensorsInferred, inferSafetensorsSpec, parseSafetensors, SpecInferenceError, type ImportedNet } from '../src/index';
import { setupBackend } from './support/backend';

const DIR = join(__dirname, 'fixtures', 'onnx');
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(join(DIR, name)));

beforeAll(async () => {
  await setupBackend();
});

function torchDiff(net: ImportedNet, fixture: string): number {
  const fx = JSON.parse(readFileSync(join(DIR, fixture), 'utf8')) as { input: { shape: number[]; data: number[] }; output: { data: number[] } };
  const ours = tf.tidy(() => {
    let x: tf.Tensor = tf.tensor(fx.input.data, fx.input.shape);
    if (fx.input.shape.length === 4) x = tf.transpose(x, [0, 2, 3, 1]);
    const params = net.params.map((p, k) => tf.tensor(p, paramInfos(net.spec)[k]!.shape));
    const buffers = net.buffers.map((b, k) => tf.tensor(b, bufferInfos(net.spec)[k]!.shape));
    return forwardWithBuffers(net.spec, params, x, { buffers }).output.dataSync();
  });
  expect(ours.length).toBe(fx.output.data.length);
  return Math.max(...fx.output.data.map((v, i) => Math.abs(v - (ours[i] as number))));
}

describe('inferSafetensorsSpec', () => {
  it('infers an MLP with batch norm and dropout, and it computes what torch computed', () => {
    const net = importSafetensorsInferred(bytesOf('mlp-relu.safetensors'));
    expect(net.spec.input).toEqual([10]);
    expect(net.spec.layers.map((l) => l.type)).toEqual(['dense', 'activation', 'dense', 'batchnorm', 'activation', 'dropout', 'dense']);
    expect(net.assumptions[0]).toMatch(/relu assumed/);
    expect(torchDiff(net, 'mlp-relu.json')).toBeLessThan(1e-5);
  });

  it('infers a conv net given its input size, choosing the padding the linear layer confirms', () => {
    const net = importSafetensorsInferred(bytesOf('convnet.safetensors'), { input: [6, 6] });
    expect(net.spec.input).toEqual([6, 6, 1]);
    expect(net.spec.layers).toEqual([
      { type: 'conv2d', filters: 4, kernel: 3, padding: 1, bias: true },
      { type: 'activation', fn: 'relu' },
      { type: 'conv2d', filters: 6, kernel: 3, padding: 1, bias: true },
      { type: 'batchnorm' },
      { type: 'activation', fn: 'relu' },
      { type: 'flatten' },
      { type: 'dense', units: 5, bias: true },
    ]);
    expect(torchDiff(net, 'convnet.json')).toBeLessThan(1e-5);
  });

  it('reads the prefix of a module holding layers = nn.Sequential(...)', () => {
    const a = importSafetensorsInferred(bytesOf('mlp-relu.safetensors'));
    const again = inferSafetensorsSpec(parseSafetensors(exportSafetensors(a.spec, a.params, a.buffers, 'layers.')));
    expect(again.prefix).toBe('layers.');
    expect(again.spec).toEqual(a.spec);
  });

  it('says why it cannot infer, and that --spec is needed', () => {
    // cnn: pools between the convs; they leave no tensors, so their kind and size are unknown.
    expect(() => importSafetensorsInferred(bytesOf('cnn.safetensors'), { input: [12, 12] })).toThrow(
      /cannot infer the spec from the state dict: 2 parameter-free modules between modules 1 and 4 could be pools, activations or dropout; pass the spec \(--spec spec.json\)/,
    );
    expect(() => importSafetensorsInferred(bytesOf('convnet.safetensors'))).toThrow(SpecInferenceError);
    expect(() => importSafetensorsInferred(bytesOf('convnet.safetensors'))).toThrow(/input size/);
    expect(() => importSafetensorsInferred(bytesOf('convnet.safetensors'), { input: [7, 7] })).toThrow(/no stride-1 conv geometry/);
  });
});
