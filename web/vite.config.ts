import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

// Vite 8 transforms TSX with Oxc; the automatic runtime imports react/jsx-runtime
// itself, so no React plugin is needed (there is no fast refresh in dev).
export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: path.resolve(here, '../dist/web'),
    emptyOutDir: true,
    // The server marks everything under assets/ immutable: names must carry a content hash.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    // `npx vite --config web/vite.config.ts` next to a running `mamori serve`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
