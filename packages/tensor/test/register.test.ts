import { afterEach, describe, expect, it } from 'vitest';
import { tf, initBackend, backendInfo } from '../src/index';
import { KERNEL_OVERRIDES, overridesEnabled, registeredOverrides, setOverridesEnabled } from '../src/kernels/index';

afterEach(() => setOverridesEnabled(true));

describe('kernel registration', () => {
  it('registers every listed override on its backends', async () => {
    await initBackend({ backend: 'wasm' });
    const expected = KERNEL_OVERRIDES.flatMap((s) => s.backends.map((b) => `${s.kernelName}@${b}`)).sort();
    expect(registeredOverrides()).toEqual(expected);
    for (const key of expected) {
      const [name, backend] = key.split('@') as [string, string];
      expect(tf.getKernel(name, backend)).toBeDefined();
    }
  });

  it('can switch back to the stock kernels and again to ours', async () => {
    await initBackend({ backend: 'wasm' });
    const x = tf.ones([3, 2]);
    const ids = tf.tensor1d([0, 1, 1], 'int32');
    setOverridesEnabled(false);
    expect(overridesEnabled()).toBe(false);
    expect(backendInfo().overrides).toEqual([]);
    // Stock wasm has no UnsortedSegmentSum: this is what the overrides fix.
    expect(() => tf.unsortedSegmentSum(x, ids, 2)).toThrow(/not registered/);
    setOverridesEnabled(true);
    expect(tf.unsortedSegmentSum(x, ids, 2).arraySync()).toEqual([[1, 1], [2, 2]]);
    tf.dispose([x, ids]);
  });

  it('re-initialising does not re-wrap the overrides', async () => {
    await initBackend({ backend: 'wasm' });
    const before = tf.getKernel('GatherV2', 'wasm');
    await initBackend({ backend: 'cpu' });
    await initBackend({ backend: 'wasm' });
    expect(tf.getKernel('GatherV2', 'wasm')).toBe(before);
  });
});
