import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../src/errors.js';
import { measureSeconds, runTimeEfficiency } from '../src/rte.js';

describe('runTimeEfficiency', () => {
  it('divides by the retrain time', () => {
    expect(runTimeEfficiency(3, 12)).toEqual({ seconds: 3, ratio: 0.25 });
  });

  it('rejects a zero retrain time or negative seconds', () => {
    expect(() => runTimeEfficiency(1, 0)).toThrow(InvalidOptionError);
    expect(() => runTimeEfficiency(-1, 1)).toThrow(InvalidOptionError);
  });
});

describe('measureSeconds', () => {
  it('returns the result and a plausible wall time', async () => {
    const { result, seconds } = await measureSeconds(async () => {
      await new Promise((r) => setTimeout(r, 30));
      return 42;
    });
    expect(result).toBe(42);
    expect(seconds).toBeGreaterThanOrEqual(0.02);
    expect(seconds).toBeLessThan(5);
  });
});
