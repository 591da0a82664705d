import DefaultTheme from 'vitepress/theme';
import type { Theme } from 'vitepress';
import { defineAsyncComponent } from 'vue';
import './custom.css';

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    // Client-only: sigma needs WebGL, so the explorer loads in the browser after hydration.
    app.component('GraphExplorer', defineAsyncComponent(() => import('./explorer/GraphExplorer.vue')));
    // Client-only too: the unlearning demo starts a worker that runs tfjs on WebAssembly.
    app.component('UnlearnDemo', defineAsyncComponent(() => import('./unlearn/UnlearnDemo.vue')));
  },
} satisfies Theme;
