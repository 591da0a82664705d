import { defineConfig } from 'tsup';
import { tsupEntries } from '../../scripts/entries.mjs';

export default defineConfig({
  // The one entry list: the "metanet" field of package.json (see scripts/entries.mjs).
  entry: tsupEntries(),
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // tfjs-core ships its gradient registrations only as untranspiled ESM files
  // (no "type": "module"), which Node cannot load from a package without a
  // bundler, so they are bundled in. They register into tfjs's global registry.
  noExternal: [/@tensorflow\/tfjs-core\/dist\/register_all_gradients/],
});
