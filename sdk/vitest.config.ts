import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      {
        test: { name: 'node', environment: 'node', include: ['test/**/*.test.ts'], exclude: ['test/**/*.dom.test.svelte.ts', 'test/**/*.dom.test.ts'] },
      },
      {
        // Svelte components compiled by the real compiler, mounted in a DOM (the browser build of svelte)
        plugins: [svelte({ configFile: false })],
        resolve: { conditions: ['browser'] },
        test: { name: 'dom', environment: 'jsdom', include: ['test/**/*.dom.test.svelte.ts'] },
      },
      {
        // the React and Vue adapters rendered by react-dom and Vue's runtime, in a DOM
        test: { name: 'dom-react-vue', environment: 'jsdom', include: ['test/**/*.dom.test.ts'] },
      },
    ],
  },
});
