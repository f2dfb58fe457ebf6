import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The console is built into dist/ by `npm run setup` (scripts/build-console.mjs) and served by
// the server at /. `npm run dev -w packages/web` serves it with hot reload against a running
// server on 127.0.0.1:7860 (its changes need WHET_ALLOWED_HOSTS=localhost there: the dev page's
// origin is not the server's own).
const api = { target: 'http://127.0.0.1:7860', changeOrigin: true };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Report gzip sizes in the build log; the initial chunk must stay under 300 KB gzip.
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  server: { proxy: { '/api': api, '/v1': api } },
});
