import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@metanet/tensor';
import { permuteHidden, permuteRowsUncoupled } from '@metanet/nets';
import { randomHiddenPermutation } from '@metanet/spec';
import { applyEditor, createEditor, editDeltas, prepareNet } from '../../src/gmn/editor';
import { architectureFamily } from '../../src/gmn/family';
import { EditorMismatchError } from '../../src/gmn/errors';
import { tinyCnnSpec } from '../fixtures';
import { disposeNet, initNet, netBytes, tinySmallCnn } from './helpers';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function maxAbsDiff(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): number {
  let m = 0;
  a.forEach((t, k) => {
    const x = t.dataSync();
    const y = b[k]!.dataSync();
    for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  });
  return m;
}

function deltasOf(editor: ReturnType<typeof createEditor>, net: ReturnType<typeof initNet>, cls: number): tf.Tensor[] {
  const p = prepareNet(editor, net);
  try {
    return tf.tidy(() => editDeltas(editor, p, [cls]).deltas);
  } finally {
    p.dispose();
  }
}

describe('GMN editor', () => {
  it('an untrained editor returns the net bit for bit', () => {
    const net = initNet(tinyCnnSpec(), 3);
    const editor = createEditor({ seed: 1 });
    const edited = applyEditor(editor, net, [2]);
    expect(netBytes(edited)).toEqual(netBytes(net));
    const p = prepareNet(editor, net);
    const d = tf.tidy(() => editDeltas(editor, p, [2]).deltas);
    expect(d.every((t) => t.dataSync().every((v) => v === 0))).toBe(true);
    p.dispose();
    tf.dispose(d);
    disposeNet(edited);
    disposeNet(net);
    editor.dispose();
  });

  it('applyEditor gives the bits of w + editDeltas\' Δw (added in float32, kept where Δw is 0), at any scale', () => {
    const net = initNet(tinyCnnSpec(), 4);
    const editor = createEditor({ seed: 3, zeroInit: false });
    for (const scale of [1, 0.37]) {
      const p = prepareNet(editor, net);
      const deltas = tf.tidy(() => editDeltas(editor, p, [1], scale).deltas);
      p.dispose();
      const expected = net.params.map((w, k) => {
        const d = deltas[k]!.dataSync();
        return Float32Array.from(w.dataSync(), (v, i) => (d[i] === 0 ? v : Math.fround(v + d[i]!)));
      });
      expect(deltas.some((d) => d.dataSync().some((v) => v !== 0))).toBe(true);
      const edited = applyEditor(editor, net, [1], { scale });
      edited.params.forEach((t, k) => expect(Buffer.from((t.dataSync() as Float32Array).buffer).equals(Buffer.from(expected[k]!.buffer))).toBe(true));
      tf.dispose(deltas);
      disposeNet(edited);
    }
    disposeNet(net);
    editor.dispose();
  });

  it('is equivariant: permuting hidden neurons permutes Δw the same way; an uncoupled permutation does not', () => {
    const spec = tinyCnnSpec();
    const net = initNet(spec, 5);
    const editor = createEditor({ seed: 2, zeroInit: false });
    const perms = randomHiddenPermutation(spec, 7);
    const base = deltasOf(editor, net, 1);
    expect(maxAbsDiff(base, base.map((t) => tf.zerosLike(t)))).toBeGreaterThan(1e-3);

    const moved = permuteHidden(spec, net.params, perms, net.buffers);
    const movedNet = { spec, params: moved.params, buffers: moved.buffers };
    const expected = permuteHidden(spec, base, perms).params;
    const got = deltasOf(editor, movedNet, 1);
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-4);

    // Control: the first conv's output channels reordered without their consumers.
    const rows = spec.layers[0]!.type === 'conv2d' ? 6 : 0;
    const perm = Array.from({ length: rows }, (_, i) => (i + 1) % rows);
    const broken = permuteRowsUncoupled(spec, net.params, 'layers.0.weight', perm);
    const brokenDeltas = deltasOf(editor, { spec, params: broken, buffers: net.buffers }, 1);
    // Were the edit blind to the coupling, the first conv's Δw would just be the original's with its rows reordered.
    const brokenExpected = [tf.gather(base[0]!, tf.tensor1d(perm, 'int32'), 0)];
    expect(maxAbsDiff([brokenDeltas[0]!], brokenExpected)).toBeGreaterThan(1e-3);

    // The request matters: another class gives another edit.
    const other = deltasOf(editor, net, 3);
    expect(maxAbsDiff(other, base)).toBeGreaterThan(1e-4);
    tf.dispose([...base, ...expected, ...got, ...broken, ...brokenDeltas, ...brokenExpected, ...other]);
    disposeNet(movedNet);
    disposeNet(net);
    editor.dispose();
  });

  it('refuses another architecture family and a class the net does not have', () => {
    const editor = createEditor();
    const a = initNet(tinySmallCnn(6), 0);
    editor.info = { family: architectureFamily(a.spec), requestKinds: ['class'], steps: 1 };
    const other = initNet(tinyCnnSpec(), 0);
    expect(() => applyEditor(editor, other, [0])).toThrow(EditorMismatchError);
    expect(() => applyEditor(editor, other, [0])).toThrow(/trained on .* nets, not/);
    expect(() => applyEditor(editor, a, [7])).toThrow(/forget class 7 is not an output/);
    expect(() => applyEditor(editor, a, [])).toThrow(EditorMismatchError);
    // Another width of the same family is fine.
    const wider = initNet(tinySmallCnn(9), 1);
    const out = applyEditor(editor, wider, [1]);
    expect(netBytes(out)).toEqual(netBytes(wider));
    [a, other, wider, out].forEach(disposeNet);
    editor.dispose();
  });
});
