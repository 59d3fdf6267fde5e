import { svelte } from '@sveltejs/vite-plugin-svelte';
import react from '@vitejs/plugin-react';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// Built by the Maven build (arcana-example/pom.xml) into target/frontend, which the WAR serves at its root.
// `npm run dev` serves the pages on :5173 and proxies the example's endpoints to a running example (liberty:run).
const backend = process.env.ARCANA_EXAMPLE_URL ?? 'http://localhost:9080';

export default defineConfig({
  base: './',
  plugins: [svelte(), react(), vue()],
  // @arcana/sdk is linked from ../../sdk: its own node_modules (dev copies for its tests) must not bring a second
  // Svelte, React or Vue runtime into the pages (two Reacts break hooks)
  resolve: { dedupe: ['svelte', 'react', 'react-dom', 'vue'] },
  build: {
    outDir: '../target/frontend',
    emptyOutDir: true,
    sourcemap: true,
    // the same live task list three ways: Svelte 5, React and Vue
    rollupOptions: { input: { svelte: 'index.html', react: 'react.html', vue: 'vue.html' } },
  },
  server: {
    proxy: {
      '/arcana': { target: backend, ws: true },
      '/api': backend,
    },
  },
});
