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
});
