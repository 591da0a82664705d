import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type DefaultTheme } from 'vitepress';
import { browserBuiltins } from './browser-builtins';

// TypeDoc (typedoc-vitepress-theme) writes the API pages and their sidebar before VitePress runs.
const apiSidebarFile = fileURLToPath(new URL('../api/typedoc-sidebar.json', import.meta.url));
const apiSidebar: DefaultTheme.SidebarItem[] = existsSync(apiSidebarFile) ? JSON.parse(readFileSync(apiSidebarFile, 'utf8')) : [];

const PACKAGES = ['spec', 'tensor', 'data', 'nets', 'graph', 'metrics', 'mpnn', 'unlearning'];

export default defineConfig({
  title: 'metanet',
  description: 'Weight-space learning and machine unlearning with Graph Metanetworks, in TypeScript.',
  // A dead internal link fails the build (the link check).
  ignoreDeadLinks: false,
  srcExclude: ['README.md', 'test/**', 'generated/**'],
  markdown: { math: true },
  // The unlearning page's worker imports tfjs, whose optional loaders are dynamic imports: an ES-module worker can
  // split them into chunks, the default iife worker cannot. It also reaches modules that import Node built-ins.
  vite: { worker: { format: 'es', plugins: () => [browserBuiltins()] } },
  head: [['link', { rel: 'icon', href: '/favicon.svg' }]],
  themeConfig: {
    nav: [
      { text: 'Guide', link: '/getting-started' },
      { text: 'Explorer', link: '/explorer' },
      { text: 'Unlearn', link: '/unlearn' },
      { text: 'Cheatsheet', link: '/cheatsheet' },
      { text: 'API', link: '/api/' },
      { text: 'Results', link: '/results' },
    ],
    sidebar: {
      '/api/': [{ text: 'API reference', items: apiSidebar }],
      '/': [
        { text: 'Start', items: [{ text: 'Getting started', link: '/getting-started' }, { text: 'Capabilities cheatsheet', link: '/cheatsheet' }] },
        {
          text: 'Concepts',
          items: [
            { text: 'Parameter graphs', link: '/concepts/parameter-graphs' },
            { text: 'Message passing (MPNN)', link: '/concepts/mpnn' },
            { text: 'Unlearning', link: '/concepts/unlearning' },
          ],
        },
        {
          text: 'Package guides',
          items: [...PACKAGES.map((p) => ({ text: `@metanet/${p}`, link: `/guide/${p}` })), { text: 'metanet CLI', link: '/guide/cli' }, { text: 'Reliability', link: '/guide/reliability' }],
        },
        { text: 'Try it', items: [{ text: 'Parameter-graph explorer', link: '/explorer' }, { text: 'Unlearn in your browser', link: '/unlearn' }, { text: 'Benchmark results', link: '/results' }] },
      ],
    },
    search: { provider: 'local' },
  },
});
