import { describe, expect, it } from 'vitest';
import { architecture, InvalidSpecError, type NetSpec } from '@metanet/spec';
import {
  fromParameterGraph,
  GraphError,
  GraphMismatchError,
  NonFiniteWeightError,
  ParamCountError,
  ParamShapeError,
  SUPPORTED_LAYERS,
  toParameterGraph,
  UnsupportedLayerError,
} from '../src/index';
import { seededParams } from './helpers';

const spec = architecture('mlp:4-3-2');

describe('bad input gets typed errors with one-line messages', () => {
  it('wrong tensor size: ParamShapeError naming the tensor, expected vs got', () => {
    const params = seededParams(spec);
    params[2] = new Float32Array(5);
    const err = (() => {
      try {
        toParameterGraph(spec, params);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ParamShapeError);
    expect(err).toBeInstanceOf(GraphError);
    expect(err?.message).toMatch(/layers\.2\.weight.*5 values.*\[2, 3\] = 6/);
    expect(err?.message).not.toContain('\n');
  });

  it('not a Float32Array: ParamShapeError', () => {
    const params: Float32Array[] = seededParams(spec);
    params[0] = new Float64Array(12) as unknown as Float32Array;
    expect(() => toParameterGraph(spec, params)).toThrow(ParamShapeError);
  });

  it('wrong number of tensors: ParamCountError listing the expected names', () => {
    expect(() => toParameterGraph(spec, seededParams(spec).slice(1))).toThrow(/expected 4 parameter tensors \(layers\.0\.weight, layers\.0\.bias/);
    expect(() => toParameterGraph(spec, [])).toThrow(ParamCountError);
  });

  it('NaN or Infinity with strict: NonFiniteWeightError naming the tensor and index', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const params = seededParams(spec);
      (params[2] as Float32Array)[4] = bad;
      expect(() => toParameterGraph(spec, params)).not.toThrow();
      try {
        toParameterGraph(spec, params, { strict: true });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(NonFiniteWeightError);
        expect((e as NonFiniteWeightError).tensor).toBe('layers.2.weight');
        expect((e as NonFiniteWeightError).index).toBe(4);
        expect((e as Error).message).toContain('layers.2.weight[4]');
      }
    }
  });

  it('unsupported layer: UnsupportedLayerError naming it and listing the supported ones', () => {
    const bad = { input: [4], layers: [{ type: 'lstm', units: 3 }] } as unknown as NetSpec;
    expect(() => toParameterGraph(bad, [])).toThrow(UnsupportedLayerError);
    expect(() => toParameterGraph(bad, [])).toThrow(new RegExp(`"lstm".*supported: ${SUPPORTED_LAYERS.join(', ')}`));
  });

  it('malformed spec: the spec validator error passes through', () => {
    const bad = { input: [4], layers: [{ type: 'dense', units: -1 }] } as unknown as NetSpec;
    expect(() => toParameterGraph(bad, [])).toThrow(InvalidSpecError);
  });

  it('inverting with the wrong spec or a wrong-length vector: GraphMismatchError', () => {
    const g = toParameterGraph(spec, seededParams(spec));
    const other = architecture('mlp:4-2-2');
    expect(() => fromParameterGraph(other, g)).toThrow(GraphMismatchError);
    expect(() => fromParameterGraph(spec, new Float32Array(3))).toThrow(/length 3; this spec needs 23 \(all edges\) or 23/);
    // Same edge count (14), different tensor boundaries: [6, 6, 2] vs [6, 2, 4, 2].
    const a = { input: [2], layers: [{ type: 'dense', units: 3, bias: false }, { type: 'dense', units: 2 }] } as NetSpec;
    const b = { input: [3], layers: [{ type: 'dense', units: 2 }, { type: 'dense', units: 2 }] } as NetSpec;
    const ga = toParameterGraph(a, seededParams(a));
    expect([ga.numEdges, toParameterGraph(b, seededParams(b)).numEdges]).toEqual([14, 14]);
    expect(() => fromParameterGraph(b, ga)).toThrow(/parameter range 1 does not match layers\.0\.bias/);
  });
});
