import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The server's CSP allows only 'self' scripts, so nothing may be inlined into index.html.
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npx vite --config web/vite.config.ts` next to `npm start` on :3000 for hot reload
    proxy: { '/api': 'http://localhost:3000', '/pay': 'http://localhost:3000', '/sandbox': 'http://localhost:3000' },
  },
});
