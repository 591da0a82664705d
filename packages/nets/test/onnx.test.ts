/**
 * ONNX import against a real third-party runtime: each fixture (exported from
 * PyTorch by test/fixtures/onnx/export.py) runs in onnxruntime-web's wasm
 * build, and metanet's forward on the imported net must match it within 1e-5.
 * (onnxruntime-node fetches CUDA binaries at install time on linux-x64, so the
 * wasm build stands in for it.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-web';
import { tf } from '@metanet/tensor';
import { bufferInfos, paramInfos } from '@metanet/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { forwardWithBuffers, importOnnx, InvalidNetFileError, UnsupportedOnnxOpError, type OnnxImport } from '../src/index';
import { setupBackend } from './support/backend';

// onnx-proto is CommonJS: under Node's ESM loader its namespace sits on `default`.
const protoNs = onnxProto as unknown as { onnx?: typeof onnxProto.onnx; default?: { onnx: typeof onnxProto.onnx } };
const onnx = (protoNs.onnx ?? protoNs.default?.onnx)!;

const DIR = join(__dirname, 'fixtures', 'onnx');

interface Fixture {
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
}

beforeAll(async () => {
  await setupBackend();
  ort.env.wasm.numThreads = 1;
});

/** metanet's forward (inference) on an NCHW / (N, D) input. */
function metanetForward(net: OnnxImport, shape: number[], data: Float32Array): Float32Array {
  return tf.tidy(() => {
    let x: tf.Tensor = tf.tensor(data, shape);
    if (shape.length === 4) x = tf.transpose(x, [0, 2, 3, 1]);
    const params = net.params.map((p, k) => tf.tensor(p, paramInfos(net.spec)[k]!.shape));
    const buffers = net.buffers.map((b, k) => tf.tensor(b, bufferInfos(net.spec)[k]!.shape));
    return forwardWithBuffers(net.spec, params, x, { buffers }).output.dataSync() as Float32Array;
  });
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

const FIXTURES: Record<string, string[]> = {
  mlp: ['dense', 'batchnorm', 'activation', 'dense', 'activation', 'dense', 'activation', 'dense', 'activation', 'dense'],
  cnn: ['conv2d', 'batchnorm', 'activation', 'maxpool', 'conv2d', 'batchnorm', 'activation', 'avgpool', 'flatten', 'dense'],
  'cnn-folded': ['conv2d', 'activation', 'maxpool', 'conv2d', 'activation', 'avgpool', 'flatten', 'dense'],
  rescnn: ['conv2d', 'activation', 'residual', 'residual', 'globalavgpool', 'dense'],
  'rescnn-bn': ['conv2d', 'batchnorm', 'activation', 'residual', 'residual', 'globalavgpool', 'dense'],
  attention: ['dense', 'layernorm', 'attention', 'activation', 'flatten', 'dense'],
};

describe('importOnnx on PyTorch exports, checked by onnxruntime', () => {
  for (const [name, types] of Object.entries(FIXTURES)) {
    it(`${name}: same outputs as onnxruntime within 1e-5`, async () => {
      const bytes = readFileSync(join(DIR, `${name}.onnx`));
      const fx = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Fixture;
      const net = importOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      expect(net.spec.layers.map((l) => l.type)).toEqual(types);
      const input = Float32Array.from(fx.input.data);
      const session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'] });
      const result = await session.run({ x: new ort.Tensor('float32', input, fx.input.shape) });
      const theirs = result.y!.data as Float32Array;
      const ours = metanetForward(net, fx.input.shape, input);
      const vsRuntime = maxAbsDiff(ours, theirs);
      const vsTorch = maxAbsDiff(ours, fx.output.data);
      console.log(JSON.stringify({ fixture: name, outputs: ours.length, maxAbsDiffVsOnnxruntime: vsRuntime, maxAbsDiffVsTorch: vsTorch }));
      expect(vsRuntime).toBeLessThan(1e-5);
      expect(vsTorch).toBeLessThan(1e-5);
      await session.release();
    });
  }
});

describe('a trained Fashion-MNIST conv net (fashion-cnn, from export_fashion.py)', () => {
  it('imports as conv-relu-maxpool twice, flatten, dense; its logits match torch\'s and onnxruntime\'s within 1e-4', async () => {
    const bytes = readFileSync(join(DIR, 'fashion-cnn.onnx'));
    expect(bytes.byteLength).toBeLessThan(100_000);
    const fx = JSON.parse(readFileSync(join(DIR, 'fashion-cnn.json'), 'utf8')) as Fixture & { testAccuracy: number };
    const net = importOnnx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    expect(net.spec.layers.map((l) => l.type)).toEqual(['conv2d', 'activation', 'maxpool', 'conv2d', 'activation', 'maxpool', 'flatten', 'dense']);
    expect(net.spec.input).toEqual([28, 28, 1]);
    expect(fx.input.shape).toEqual([4, 1, 28, 28]);
    const input = Float32Array.from(fx.input.data);
    const ours = metanetForward(net, fx.input.shape, input);
    const session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'] });
    const theirs = (await session.run({ x: new ort.Tensor('float32', input, fx.input.shape) })).y!.data as Float32Array;
    await session.release();
    const vsTorch = maxAbsDiff(ours, fx.output.data);
    const vsRuntime = maxAbsDiff(ours, theirs);
    console.log(JSON.stringify({ fixture: 'fashion-cnn', maxAbsDiffVsTorch: vsTorch, maxAbsDiffVsOnnxruntime: vsRuntime, torchTestAccuracy: fx.testAccuracy }));
    expect(vsTorch).toBeLessThan(1e-4);
    expect(vsRuntime).toBeLessThan(1e-4);
    // Trained logits, not an initialisation's: the four images' predictions are confident.
    const top = Array.from({ length: 4 }, (_, i) => Math.max(...ours.subarray(10 * i, 10 * i + 10)));
    expect(Math.min(...top)).toBeGreaterThan(2);
  });
});

describe('importOnnx errors', () => {
  const mlp = (): Uint8Array => new Uint8Array(readFileSync(join(DIR, 'mlp.onnx')));

  it('names an unsupported op and lists the supported ones', () => {
    // The MLP with its Tanh node's op renamed: a valid model with an op metanet does not know.
    const model = onnx.ModelProto.decode(mlp());
    model.graph!.node!.find((n) => n.opType === 'Tanh')!.opType = 'Tant';
    const bytes = onnx.ModelProto.encode(model).finish();
    let caught: unknown;
    try {
      importOnnx(bytes);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(UnsupportedOnnxOpError);
    expect((caught as UnsupportedOnnxOpError).op).toBe('Tant');
    expect((caught as Error).message).toMatch(/op Tant is not supported; supported: Conv, BatchNormalization, .*Relu, .*Gemm, MatMul.*self-attention/);
  });

  it('rejects bytes that are not ONNX with InvalidNetFileError', () => {
    expect(() => importOnnx(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(InvalidNetFileError);
    expect(() => importOnnx(mlp().subarray(0, 200))).toThrow(InvalidNetFileError);
  });
});
