import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The bridge (apps/bridge) serves /api and the /pop3 WebSocket; `pnpm start` runs it on this address.
const bridge = 'http://127.0.0.1:8080';

export default defineConfig({
  // Relative asset URLs: the built app works at / and under any sub-path of a reverse proxy.
  base: './',
  plugins: [react()],
  resolve: {
    // Workspace packages (@webpop/pop3) compile from their TypeScript sources.
    conditions: ['@webpop/source', ...defaultClientConditions],
  },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: bridge, changeOrigin: true },
      '/pop3': {
        target: bridge,
        ws: true,
        // The bridge accepts WebSockets only from its own origin (Origin must match Host). In development
        // the page comes from Vite's port, so the proxied upgrade presents the bridge's host and origin
        // instead. (The alternative: start the bridge with WEBPOP_ORIGINS=http://127.0.0.1:5173.)
        changeOrigin: true,
        rewriteWsOrigin: true,
      },
    },
  },
});
