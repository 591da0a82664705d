/**
 * One guide per package, built from the package's own README (its opening paragraphs and first TypeScript example,
 * so the guide cannot drift from the README) plus its extension points, which restate ARCHITECTURE.md's
 * "where do I put…" table for that package. README links are made plain text: they point into the repository,
 * which the site does not serve, and a dead link fails the build.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Extension points per package, from ARCHITECTURE.md. */
const EXTENSIONS = {
  spec: ['**A layer type:** `packages/spec/src/layers/<type>.ts` (validate, shapes, parameters, permutations), one line in `src/layers/index.ts`; then a forward handler in nets and a planner in graph (TypeScript and the `layer-coverage` tests fail until both exist).', '**A named architecture:** one builder in `src/architectures.ts`.'],
  tensor: ['**A kernel:** `packages/tensor/src/kernels/<kernel>.ts` (a `KernelConfig`), C in `packages/tensor/native/` if compiled, one line in `src/kernels/register.ts`, and a test against a slow reference and finite differences.'],
  data: ['**A dataset format:** a reader beside the IDX and CIFAR-10 ones that validates every field before allocating, and a fuzz test with hostile files.', '**A split:** deterministic from a seed, as `Int32Array` indices.'],
  nets: ['**A layer type\'s forward:** `packages/nets/src/forward/layers/<type>.ts`, one line in `src/forward/layers/index.ts`.', '**A Keras layer:** `packages/nets/src/import/keras/<type>.ts`, one entry in `KERAS_IMPORTERS`.'],
  graph: ['**A layer type\'s planner:** `packages/graph/src/plan/<type>.ts` (its nodes, parameter blocks and parameter-free edges), one line in `src/plan/planners.ts`.'],
  metrics: ['**A metric:** `packages/metrics/src/<name>.ts`, one line in the `metanet.entries` list of its `package.json`, then `npm run entries` (barrel and subpath export).'],
  mpnn: ['**An update or readout:** a block beside `EdgeModel`, `NodeModel`, `GlobalModel`, composed by `MetaLayer`; it uses `@metanet/tensor`\'s ops and registers no kernels (a test checks).', '**A kernel it needs:** in `@metanet/tensor`, never here.'],
  unlearning: ['**A method:** `packages/unlearning/src/methods/<name>.ts` (`defineMethod`), one line in `src/registry.ts`, `npm run entries` (subpath export `@metanet/unlearning/<name>`), and its traits in the docs cheatsheet.', '**A request kind:** its type in `src/requests/types.ts` (the `ForgetRequest` union), its sets in `requests/build.ts`, its grammar in `requests/parse.ts`; TypeScript lists every switch that must handle it.'],
};

const plainLinks = (md) => md.replace(/\[([^\]]+)\]\((?!https?:)[^)]*\)/g, '$1');

/** The guide page of one package as Markdown. */
export function guideMarkdown(repoRoot, pkg) {
  const readme = readFileSync(join(repoRoot, 'packages', pkg, 'README.md'), 'utf8');
  const [intro] = readme.split(/\n## /);
  const body = intro.replace(/^# .*\n/, '').replace(/```sh[\s\S]*?```\n?/g, '').replace(/```(?:ts|js)[\s\S]*?```\n?/g, '').trim();
  const example = /```(?:ts|js)\n[\s\S]*?```/.exec(readme)?.[0];
  return [
    `# @metanet/${pkg}`,
    '',
    plainLinks(body),
    '',
    `\`\`\`sh\nnpm install @metanet/${pkg}\n\`\`\``,
    '',
    ...(example ? ['## Example', '', example, ''] : []),
    '## Extension points',
    '',
    ...EXTENSIONS[pkg].map((e) => `- ${e}`),
    '',
    `## Reference`,
    '',
    `Every export, with its doc comment: [API reference](/api/@metanet/${pkg}/). The package README in the repository (\`packages/${pkg}/README.md\`) has the full tour.`,
    '',
  ].join('\n');
}

/** The packages that get a guide. */
export const GUIDE_PACKAGES = Object.keys(EXTENSIONS).filter((p) => existsSync(new URL(`../../../packages/${p}/README.md`, import.meta.url)));
