#!/usr/bin/env node
// Thin launcher so the bin link exists before the first build.
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('metanet: the CLI is not built yet; run `npm run build` first.\n');
    process.exit(2);
  }
  throw err;
});
