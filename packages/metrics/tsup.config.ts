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
  // libsvm.ts resolves libsvm-js with createRequire(import.meta.url); the shim gives CJS output an import.meta.url.
  shims: true,
});
