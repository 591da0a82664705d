import { defineConfig } from 'tsup';
import { packageTsupConfig } from '../../scripts/entries.mjs';

// Entries come from the "metanet" list in package.json (scripts/entries.mjs).
export default defineConfig(
  packageTsupConfig({
    // gmn/shipped.ts finds the package's editors/ from import.meta.url; the shim gives CJS output one.
    shims: true,
  }),
);
