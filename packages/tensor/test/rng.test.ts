import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tf, initBackend, createRng, randomNormal, randomUniform, shuffleInPlace, permutation, InvalidTensorArgumentError, NonFiniteLossError, type Rng } from '../src/index';

const take = (n: number, f: () => number): number[] => Array.from({ length: n }, f);

describe('createRng', () => {
  it('is deterministic per seed and differs across seeds (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.maxSafeInteger(), (s1, s2) => {
        const a = createRng(s1);
        const b = createRng(s1);
        const seqA = take(8, a.next);
        expect(take(8, b.next)).toEqual(seqA);
        if (s1 !== s2) expect(take(8, createRng(s2).next)).not.toEqual(seqA);
      }),
      { numRuns: 300 },
    );
    // Seeds that differ only in sign or in the high word.
    for (const [x, y] of [[0, -1], [1, -1], [1, 2 ** 32 + 1], [-(2 ** 31), 2 ** 31], [2 ** 32, 0]]) {
      expect(take(4, createRng(x!).next)).not.toEqual(take(4, createRng(y!).next));
    }
  });

  it('draws uniforms in [0, 1) with the right mean and spread', () => {
    const u = take(20000, createRng(7).uniform);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((p, v) => p + v, 0) / u.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    const deciles = new Array(10).fill(0);
    for (const v of u) deciles[Math.floor(v * 10)]++;
    for (const c of deciles) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });

  it('draws normals with mean and std as asked', () => {
    const rng = createRng(3);
    const z = take(20000, () => rng.normal(2, 3));
    const mean = z.reduce((p, v) => p + v, 0) / z.length;
    const sd = Math.sqrt(z.reduce((p, v) => p + (v - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
    expect(Math.abs(sd - 3)).toBeLessThan(0.1);
  });

  it('int(n) stays in [0, n) and hits every value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (n, seed) => {
        const rng = createRng(seed);
        const seen = new Set(take(400, () => rng.int(n)));
        expect([...seen].every((v) => Number.isInteger(v) && v >= 0 && v < n)).toBe(true);
        expect(seen.size).toBe(n);
      }),
      { numRuns: 50 },
    );
    expect(() => createRng(1).int(0)).toThrow(InvalidTensorArgumentError);
  });

  it('shuffles into a deterministic permutation', () => {
    const a = createRng(11).shuffle(Array.from({ length: 50 }, (_, i) => i));
    const b = createRng(11).shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('forks deterministic, independent streams', () => {
    const a = createRng(5);
    const b = createRng(5);
    const fa = a.fork();
    const fb = b.fork();
    expect(take(5, fa.next)).toEqual(take(5, fb.next));
    expect(take(5, a.next)).toEqual(take(5, b.next));
    expect(take(5, createRng(5).fork().next)).not.toEqual(take(5, createRng(5).next));
  });

  it('rejects non-integer seeds', () => {
    expect(() => createRng(0.5)).toThrow(InvalidTensorArgumentError);
    expect(() => createRng(Number.NaN)).toThrow(InvalidTensorArgumentError);
  });
});

describe('randomNormal / randomUniform', () => {
  it('give identical tensors for one seed on wasm and cpu', async () => {
    await initBackend({ backend: 'wasm' });
    const wn = randomNormal([30, 4], 42, 1, 0.5).dataSync();
    const wu = randomUniform([7], 42, -2, 2).dataSync();
    await initBackend({ backend: 'cpu' });
    expect(Array.from(randomNormal([30, 4], 42, 1, 0.5).dataSync())).toEqual(Array.from(wn));
    expect(Array.from(randomUniform([7], 42, -2, 2).dataSync())).toEqual(Array.from(wu));
    expect(Array.from(randomNormal([30, 4], 43).dataSync())).not.toEqual(Array.from(wn));
  });

  it('respect shape and range, and advance a passed Rng', async () => {
    await initBackend({ backend: 'wasm' });
    const rng = createRng(9);
    const a = randomUniform([2, 3, 4], rng, 5, 6);
    const b = randomUniform([2, 3, 4], rng, 5, 6);
    expect(a.shape).toEqual([2, 3, 4]);
    expect(a.dtype).toBe('float32');
    const av = Array.from(a.dataSync());
    expect(av.every((v) => v >= 5 && v <= 6)).toBe(true);
    expect(Array.from(b.dataSync())).not.toEqual(av);
    expect(randomNormal([0, 3], 1).shape).toEqual([0, 3]);
    expect(() => randomNormal([2, -1], 1)).toThrow(InvalidTensorArgumentError);
    tf.dispose([a, b]);
  });
});

/** The textbook Fisher–Yates (last position down), written out so the one shuffle's draws stay pinned. */
function referenceShuffle(a: number[], rng: Rng): number[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe('shuffleInPlace / permutation', () => {
  it('draws exactly as the textbook Fisher–Yates, on arrays and typed arrays, and as rng.shuffle', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200 }), fc.integer(), (n, seed) => {
        const ref = referenceShuffle(Array.from({ length: n }, (_, i) => i), createRng(seed));
        expect(shuffleInPlace(Array.from({ length: n }, (_, i) => i), createRng(seed))).toEqual(ref);
        expect(Array.from(shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), createRng(seed)))).toEqual(ref);
        expect(createRng(seed).shuffle(Array.from({ length: n }, (_, i) => i))).toEqual(ref);
        expect(Array.from(permutation(n, seed))).toEqual(ref);
        expect(Array.from(permutation(n, createRng(seed)))).toEqual(ref);
      }),
      { numRuns: 100, seed: 4 },
    );
  });

  it('a partial shuffle fixes the same last k slots as the full one, for k draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.nat({ max: 100 }), fc.integer(), (n, k0, seed) => {
        const k = k0 % (n + 1);
        const full = shuffleInPlace(Array.from({ length: n }, (_, i) => i), createRng(seed));
        const rng = createRng(seed);
        const part = shuffleInPlace(Array.from({ length: n }, (_, i) => i), rng, k);
        expect(part.slice(n - k)).toEqual(full.slice(n - k));
        const after = createRng(seed);
        for (let d = 0; d < Math.min(k, n - 1); d++) after.uniform();
        expect(rng.next()).toBe(after.next());
      }),
      { numRuns: 100, seed: 5 },
    );
    expect(() => shuffleInPlace([1, 2, 3], createRng(0), 4)).toThrow(InvalidTensorArgumentError);
    expect(() => shuffleInPlace([1, 2, 3], createRng(0), 1.5)).toThrow(InvalidTensorArgumentError);
    expect(() => permutation(-1, 0)).toThrow(InvalidTensorArgumentError);
  });
});

describe('NonFiniteLossError', () => {
  it('carries the epoch and step it was given, and instanceof matches by name across copies', () => {
    const e = new NonFiniteLossError('loss is NaN at step 3; lower the learning rate', { epoch: 2, step: 3 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('NonFiniteLossError');
    expect([e.epoch, e.step]).toEqual([2, 3]);
    expect(new NonFiniteLossError('x').step).toBeUndefined();
    const copy = Object.assign(new Error('from another build'), { name: 'NonFiniteLossError' });
    expect(copy instanceof NonFiniteLossError).toBe(true);
    expect(new InvalidTensorArgumentError('y') instanceof NonFiniteLossError).toBe(false);
  });
});
