import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kernelRegistrations } from '../../../test-support/kernel-registration';

describe('@metanet/nets registers no kernels', () => {
  it('no source file, and no file of the built dist, calls registerKernel or registerGradient', () => {
    const found = kernelRegistrations(join(__dirname, '..'));
    expect(found.sourceFiles).toBeGreaterThan(5);
    expect(found.offenders).toEqual([]);
  });
});
