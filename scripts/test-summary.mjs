// Sums the per-workspace vitest JSON reports into one closing line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const ws of workspaces) {
  const file = join(root, ws, '.vitest-results.json');
  if (!existsSync(join(root, ws, 'test'))) continue;
  if (!existsSync(file)) {
    missing.push(ws);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
for (const ws of missing) console.log(`test-summary: no results from ${ws}`);
console.log(`tests: ${passed} passed, ${failed + missing.length} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + missing.length > 0 || passed === 0 ? 1 : 0);
