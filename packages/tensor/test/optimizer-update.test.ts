import { describe, expect, it } from 'vitest';
import { tf, initBackend, fusedOptimizerUpdate } from '../src/index';
import { setNativeKernelsEnabled } from '../src/kernels/index';
import { floats } from './helpers';

interface Cfg { kind: 'adam' | 'sgd'; weightDecay: number; momentum: number; masked: boolean }

/** PyTorch's update as separate tfjs ops: the slow reference the fused kernel must equal bit for bit. */
function reference(c: Cfg, step: number, p: tf.Tensor, g0: tf.Tensor, slots: tf.Tensor[], k: tf.Tensor | undefined, lr: number): tf.Tensor[] {
  let g = g0;
  if (c.weightDecay !== 0) g = tf.add(g, tf.mul(p, c.weightDecay));
  if (k) g = tf.mul(g, k);
  if (c.kind === 'adam') {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const m = tf.add(tf.mul(slots[0]!, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(slots[1]!, b2), tf.mul(tf.square(g), 1 - b2));
    const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - b2 ** step)), eps);
    const u = tf.mul(tf.div(m, denom), lr / (1 - b1 ** step));
    return [tf.sub(p, k ? tf.mul(u, k) : u), m, v];
  }
  if (c.momentum > 0) {
    const buf = step === 1 ? g : tf.add(tf.mul(slots[0]!, c.momentum), g);
    return [tf.sub(p, tf.mul(buf, lr)), buf];
  }
  return [tf.sub(p, tf.mul(g, lr))];
}

const CFGS: Cfg[] = [
  { kind: 'adam', weightDecay: 0, momentum: 0, masked: false },
  { kind: 'adam', weightDecay: 5e-4, momentum: 0, masked: true },
  { kind: 'sgd', weightDecay: 0, momentum: 0, masked: false },
  { kind: 'sgd', weightDecay: 1e-3, momentum: 0.9, masked: true },
];
// Sizes around the 4-lane vector width: tails of 1–3 and an empty tensor.
const SHAPES = [[3, 5], [8], [1], [2, 3, 3, 7], [0]];

describe('MetanetOptimizerUpdate (fused Adam/SGD, wasm)', () => {
  for (const nativeOn of [true, false]) {
    it(`equals the tfjs-op update bit for bit over 3 steps (${nativeOn ? 'compiled' : 'host'} loop)`, async () => {
      await initBackend({ backend: 'wasm' });
      setNativeKernelsEnabled(nativeOn);
      try {
        for (const c of CFGS) {
          const nSlots = c.kind === 'adam' ? 2 : c.momentum > 0 ? 1 : 0;
          let ps = SHAPES.map((s, i) => tf.tensor(floats(s.reduce((a, b) => a * b, 1), 10 + i), s));
          let refPs = ps.map((p) => tf.clone(p));
          let slots = ps.map((p) => Array.from({ length: nSlots }, () => tf.zerosLike(p)));
          let refSlots = slots.map((s) => s.map((t) => tf.clone(t)));
          const masks = ps.map((p, i) => (c.masked && i % 2 === 0 ? tf.tensor(Array.from(floats(p.size, 40 + i), (v) => (v > 0 ? 1 : 0)), p.shape) : undefined));
          for (let step = 1; step <= 3; step++) {
            const grads = ps.map((p, i) => tf.tensor(floats(p.size, 100 * step + i), p.shape));
            const lr = 0.01;
            const fused = fusedOptimizerUpdate({
              kind: c.kind, params: ps, grads, slots, masks, lr, weightDecay: c.weightDecay, beta1: 0.9, beta2: 0.999, eps: 1e-8, momentum: c.momentum, step,
            });
            expect(fused).not.toBeNull();
            const ref = tf.tidy(() => refPs.map((p, i) => reference(c, step, p, grads[i]!, refSlots[i]!, masks[i], lr)));
            ref.forEach((r, i) => {
              const got = [fused!.params[i]!, ...fused!.slots[i]!];
              expect(got.length).toBe(r.length);
              r.forEach((t, j) => expect(Array.from(got[j]!.dataSync()), `${JSON.stringify(c)} step ${step} tensor ${i}.${j}`).toEqual(Array.from(t.dataSync())));
            });
            tf.dispose([...ps, ...refPs, ...slots.flat(), ...refSlots.flat(), ...grads]);
            ps = fused!.params;
            slots = fused!.slots;
            refPs = ref.map((r) => r[0]!);
            refSlots = ref.map((r) => r.slice(1));
          }
          tf.dispose([...ps, ...refPs, ...slots.flat(), ...refSlots.flat(), ...masks.filter((m): m is tf.Tensor => m !== undefined)]);
        }
      } finally {
        setNativeKernelsEnabled(true);
      }
    });
  }

  it('is absent on cpu, so callers keep their own update', async () => {
    await initBackend({ backend: 'cpu' });
    const p = tf.zeros([2]);
    expect(fusedOptimizerUpdate({ kind: 'sgd', params: [p], grads: [p], slots: [[]], lr: 1, weightDecay: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8, momentum: 0, step: 1 })).toBeNull();
    p.dispose();
  });
});
