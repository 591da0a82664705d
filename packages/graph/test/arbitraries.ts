/** fast-check generators of small valid NetSpecs covering every layer the graph encodes. */
import fc from 'fast-check';
import { validateSpec, type Layer, type NetSpec } from '@metanet/spec';

const act: fc.Arbitrary<Layer> = fc.constantFrom<Layer>(
  { type: 'activation', fn: 'relu' },
  { type: 'activation', fn: 'tanh' },
  { type: 'dropout', rate: 0.2 },
);
const norm1d: fc.Arbitrary<Layer> = fc.constantFrom<Layer>({ type: 'batchnorm' }, { type: 'layernorm' }, { type: 'groupnorm', groups: 1 });
const extras = (arb: fc.Arbitrary<Layer>): fc.Arbitrary<Layer[]> => fc.array(arb, { maxLength: 2 });

const dense: fc.Arbitrary<Layer> = fc.record({ type: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 5 }), bias: fc.boolean() });

const mlp: fc.Arbitrary<NetSpec> = fc
  .record({ d: fc.integer({ min: 1, max: 6 }), body: fc.array(fc.tuple(dense, extras(fc.oneof(act, norm1d))), { minLength: 1, maxLength: 3 }) })
  .map(({ d, body }) => ({ input: [d], layers: body.flatMap(([l, rest]) => [l, ...rest]) }));

const conv: fc.Arbitrary<Layer> = fc.record({
  type: fc.constant('conv2d' as const),
  filters: fc.integer({ min: 1, max: 4 }),
  kernel: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))),
  padding: fc.constant('same' as const),
  bias: fc.boolean(),
});
const residual: fc.Arbitrary<Layer> = fc.record({
  type: fc.constant('residual' as const),
  filters: fc.integer({ min: 1, max: 4 }),
  stride: fc.constantFrom(1, 2),
  shortcut: fc.constantFrom('auto' as const, 'conv1x1' as const),
});
// Group norms with 2 groups only fit even widths; the filter below drops the rest.
const convExtra: fc.Arbitrary<Layer> = fc.oneof(act, fc.constantFrom<Layer>({ type: 'batchnorm' }, { type: 'layernorm' }, { type: 'groupnorm', groups: 2 }));

/** Image nets: conv/residual stages, then global pooling or a flatten (with or without a pool). */
const cnn: fc.Arbitrary<NetSpec> = fc
  .record({
    h: fc.integer({ min: 2, max: 6 }),
    w: fc.integer({ min: 2, max: 6 }),
    c: fc.integer({ min: 1, max: 3 }),
    body: fc.array(fc.tuple(fc.oneof(conv, residual), extras(convExtra)), { minLength: 1, maxLength: 3 }),
    head: fc.constantFrom<Layer[]>([{ type: 'globalavgpool' }], [{ type: 'flatten' }], [{ type: 'avgpool', size: 1 }, { type: 'flatten' }]),
    out: dense,
  })
  .map(({ h, w, c, body, head, out }) => ({ input: [h, w, c], layers: [...body.flatMap(([l, rest]) => [l, ...rest]), ...head, out] }));

/** Sequence nets: attention (+ layernorm), token-wise dense, then flatten or not. */
const seq: fc.Arbitrary<NetSpec> = fc
  .record({
    t: fc.integer({ min: 1, max: 4 }),
    heads: fc.integer({ min: 1, max: 3 }),
    dh: fc.integer({ min: 1, max: 3 }),
    bias: fc.boolean(),
    ln: fc.boolean(),
    flatten: fc.boolean(),
    out: dense,
  })
  .map(({ t, heads, dh, bias, ln, flatten, out }) => ({
    input: [t, heads * dh],
    layers: [
      { type: 'attention', heads, bias } as Layer,
      ...(ln ? [{ type: 'layernorm' } as Layer] : []),
      ...(flatten ? [{ type: 'flatten' } as Layer] : []),
      out,
    ],
  }));

/** MLPs that read an image directly through a flatten. */
const pixelMlp: fc.Arbitrary<NetSpec> = fc
  .record({ h: fc.integer({ min: 1, max: 4 }), w: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 1, max: 2 }), out: dense })
  .map(({ h, w, c, out }) => ({ input: [h, w, c], layers: [{ type: 'flatten' } as Layer, out] }));

/** Any supported spec, validated by @metanet/spec (shapes that do not fit are filtered out). */
export const anySpec: fc.Arbitrary<NetSpec> = fc.oneof(mlp, cnn, seq, pixelMlp).filter((spec) => {
  try {
    validateSpec(spec);
    return true;
  } catch {
    return false;
  }
});
