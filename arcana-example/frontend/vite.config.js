import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Built by the Maven build (arcana-example/pom.xml) into target/frontend, which the WAR serves at its root.
// `npm run dev` serves the page on :5173 and proxies the example's endpoints to a running example (liberty:run).
const backend = process.env.ARCANA_EXAMPLE_URL ?? 'http://localhost:9080';

export default defineConfig({
  base: './',
  plugins: [svelte()],
  // @arcana/sdk is linked from ../../sdk: its own node_modules must not bring a second Svelte runtime
  resolve: { dedupe: ['svelte'] },
  build: { outDir: '../target/frontend', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/arcana': { target: backend, ws: true },
      '/api': backend,
    },
  },
});
