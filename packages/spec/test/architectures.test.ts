import { describe, expect, it } from 'vitest';
import {
  architecture,
  countParams,
  inferShapes,
  listArchitectures,
  paramInfos,
  bufferInfos,
  UnknownArchitectureError,
} from '../src/index';

describe('named architectures', () => {
  it('homework-cnn has 58,474 params on 1 channel and 59,050 on 3', () => {
    expect(countParams(architecture('homework-cnn'))).toBe(58_474);
    expect(countParams(architecture('homework-cnn', { inChannels: 3 }))).toBe(59_050);
    expect(countParams(architecture('homework-cnn', { inChannels: 3, inputSize: 32 }))).toBe(59_050);
  });

  it('homework-cnn shapes go 28→14→7 then GAP to 64 and 10 logits', () => {
    const shapes = inferShapes(architecture('homework-cnn'));
    expect(shapes[0]).toEqual([28, 28, 32]);
    expect(shapes[3]).toEqual([14, 14, 32]);
    expect(shapes[8]).toEqual([7, 7, 64]);
    expect(shapes[13]).toEqual([64]);
    expect(shapes[shapes.length - 1]).toEqual([10]);
  });

  it('small-cnn has 4,970 params at c=16 on 1 channel and scales with width', () => {
    expect(countParams(architecture('small-cnn'))).toBe(4_970);
    // c=8: 8·9+8 + 2·(8·8·9+8) + 8·10+10 = 80 + 1168 + 90
    expect(countParams(architecture('small-cnn', { width: 8 }))).toBe(80 + 2 * 584 + 90);
    expect(inferShapes(architecture('small-cnn'))[4]).toEqual([4, 4, 16]);
  });

  it('mlp:784-64-32-10 has 52,650 params in PyTorch order', () => {
    const spec = architecture('mlp:784-64-32-10');
    expect(countParams(spec)).toBe(52_650);
    expect(paramInfos(spec).map((p) => [p.name, p.shape])).toEqual([
      ['layers.0.weight', [64, 784]],
      ['layers.0.bias', [64]],
      ['layers.2.weight', [32, 64]],
      ['layers.2.bias', [32]],
      ['layers.4.weight', [10, 32]],
      ['layers.4.bias', [10]],
    ]);
  });

  it('resnet-mini names residual params like torchvision', () => {
    const spec = architecture('resnet-mini', { width: 4 });
    const names = paramInfos(spec).map((p) => p.name);
    expect(names).toContain('layers.3.conv1.weight');
    expect(names).not.toContain('layers.3.downsample.0.weight');
    expect(names).toContain('layers.4.downsample.0.weight');
    const ds = paramInfos(spec).find((p) => p.name === 'layers.4.downsample.0.weight');
    expect(ds?.shape).toEqual([8, 4, 1, 1]);
    expect(bufferInfos(spec).map((b) => b.name)).toContain('layers.4.downsample.1.running_var');
  });

  it('unknown names list the known ones', () => {
    expect(() => architecture('vgg16')).toThrow(UnknownArchitectureError);
    expect(() => architecture('vgg16')).toThrow(/homework-cnn, small-cnn/);
    expect(() => architecture('mlp:784')).toThrow(UnknownArchitectureError);
    expect(listArchitectures()).toContain('homework-cnn');
  });
});
