import { defineConfig } from 'tsup';
import { packageTsupConfig } from '../../scripts/entries.mjs';

// Entries come from the "metanet" list in package.json (scripts/entries.mjs).
export default defineConfig(
  packageTsupConfig({
    // tfjs-core ships its gradient registrations only as untranspiled ESM files
    // (no "type": "module"), which Node cannot load from a package without a
    // bundler, so they are bundled in. They register into tfjs's global registry.
    noExternal: [/@tensorflow\/tfjs-core\/dist\/register_all_gradients/],
  }),
);
