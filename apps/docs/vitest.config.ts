import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared';

// The e2e test builds the site when no build is present (turbo runs `build` before `test`, so usually it is).
export default mergeConfig(sharedConfig, { test: { testTimeout: 300_000, hookTimeout: 600_000 } });
