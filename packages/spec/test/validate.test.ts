import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  architecture,
  bufferInfos,
  countParams,
  inferShapes,
  InvalidSpecError,
  SpecError,
  paramInfos,
  parseSpec,
  UnsupportedLayerError,
  validateSpec,
  type NetSpec,
} from '../src/index';

describe('validateSpec', () => {
  it('returns a normalised copy without unknown fields', () => {
    const spec = validateSpec({ input: [4], layers: [{ type: 'dense', units: 3, extra: 1 }], junk: true });
    expect(spec).toEqual({ input: [4], layers: [{ type: 'dense', units: 3 }] });
  });

  it('names the unsupported layer and lists supported ones', () => {
    expect(() => validateSpec({ input: [4], layers: [{ type: 'lstm' }] })).toThrow(UnsupportedLayerError);
    expect(() => validateSpec({ input: [4], layers: [{ type: 'lstm' }] })).toThrow(/layers\[0\].*"lstm".*dense, conv2d/);
  });

  it('rejects layers that do not fit', () => {
    expect(() => validateSpec({ input: [4], layers: [{ type: 'conv2d', filters: 2, kernel: 3 }] })).toThrow(/\[H, W, C\]/);
    expect(() => validateSpec({ input: [2, 2, 1], layers: [{ type: 'conv2d', filters: 2, kernel: 3 }] })).toThrow(/empty output/);
    expect(() => validateSpec({ input: [3, 6], layers: [{ type: 'attention', heads: 4 }] })).toThrow(/do not divide/);
    expect(() =>
      validateSpec({ input: [8, 8, 2], layers: [{ type: 'residual', filters: 4, shortcut: 'identity' }] }),
    ).toThrow(/identity shortcut/);
    expect(() => validateSpec({ input: [1 << 20, 1 << 20, 1], layers: [] })).toThrow(InvalidSpecError);
    expect(() => validateSpec({ version: 2, input: [4], layers: [] })).toThrow(/version/);
    // Found by the fuzz suite: a conv without "kernel" used to pass with NaN sizes.
    expect(() => validateSpec({ input: [4, 4, 1], layers: [{ type: 'conv2d', filters: 2 }] })).toThrow(/kernel is required/);
  });

  it('conv padding: same is ceil(n/s), numbers follow PyTorch', () => {
    const shapes = inferShapes(
      validateSpec({
        input: [28, 28, 1],
        layers: [
          { type: 'conv2d', filters: 2, kernel: 3, stride: 2, padding: 'same' },
          { type: 'conv2d', filters: 2, kernel: 3, stride: 2, padding: 1 },
          { type: 'conv2d', filters: 2, kernel: [3, 1], padding: 'valid' },
          { type: 'maxpool', size: 2 },
        ],
      }),
    );
    expect(shapes).toEqual([[14, 14, 2], [7, 7, 2], [5, 7, 2], [2, 3, 2]]);
  });

  it('attention and layernorm params follow the documented names', () => {
    const spec = validateSpec({ input: [5, 8], layers: [{ type: 'attention', heads: 2 }, { type: 'layernorm' }, { type: 'dense', units: 3 }] });
    expect(paramInfos(spec).map((p) => p.name)).toEqual([
      'layers.0.q_proj.weight', 'layers.0.q_proj.bias', 'layers.0.k_proj.weight', 'layers.0.k_proj.bias',
      'layers.0.v_proj.weight', 'layers.0.v_proj.bias', 'layers.0.out_proj.weight', 'layers.0.out_proj.bias',
      'layers.1.weight', 'layers.1.bias', 'layers.2.weight', 'layers.2.bias',
    ]);
    expect(countParams(spec)).toBe(4 * (64 + 8) + 16 + 27);
    expect(inferShapes(spec)[2]).toEqual([5, 3]);
  });

  it('parseSpec turns hostile JSON into InvalidSpecError', () => {
    expect(() => parseSpec('{')).toThrow(InvalidSpecError);
    expect(() => parseSpec('['.repeat(200_000))).toThrow(InvalidSpecError);
    expect(() => parseSpec('null')).toThrow(InvalidSpecError);
    expect(parseSpec(JSON.stringify(architecture('small-cnn')))).toEqual(architecture('small-cnn'));
  });

  it('round-trips every named architecture through JSON (property: validate is idempotent)', () => {
    const names = ['homework-cnn', 'small-cnn', 'resnet-mini', 'mlp:10-5-3'];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.integer({ min: 1, max: 4 }), (name, c) => {
        const spec: NetSpec = architecture(name, name.startsWith('mlp') ? {} : { inChannels: c });
        const again = validateSpec(JSON.parse(JSON.stringify(spec)));
        expect(again).toEqual(spec);
        expect(paramInfos(again).length).toBeGreaterThan(0);
        expect(bufferInfos(again).length % 2).toBe(0);
      }),
      { numRuns: 30, seed: 7 },
    );
  });

  it('every random layer object ends in a typed error or a valid spec', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 3 }), fc.anything({ maxDepth: 2 }), (input, layer) => {
        try {
          validateSpec({ input, layers: [layer] });
        } catch (e) {
          expect(e).toBeInstanceOf(SpecError);
          expect((e as Error).message).not.toContain('\n');
        }
      }),
      { numRuns: 200, seed: 11 },
    );
  });
});
