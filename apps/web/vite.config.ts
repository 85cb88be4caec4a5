import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';

/**
 * The sanitizer frame's page is no app page: no manifest and no service worker registration (its opaque
 * origin could register neither, and its CSP would only report them as refused).
 */
const sanitizerPageBare: Plugin = {
  name: 'webpop-sanitizer-page-bare',
  enforce: 'post',
  transformIndexHtml: {
    order: 'post',
    handler: (html, context) =>
      context.path.endsWith('/sanitizer.html')
        ? html
            .replace(/<link rel="manifest"[^>]*>/, '')
            .replace(/<script id="vite-plugin-pwa:register-sw"[^>]*><\/script>/, '')
        : html,
  },
};

// The bridge (apps/bridge) serves /api and the /pop3 WebSocket; `pnpm start` runs it on this address.
const bridge = 'http://127.0.0.1:8080';

export default defineConfig({
  // Relative asset URLs: the built app works at / and under any sub-path of a reverse proxy.
  base: './',
  plugins: [
    react(),
    // The installable shell: a web app manifest and a Workbox service worker that precaches the built app,
    // so it starts without a network (mail read offline comes from the local store, not from this cache).
    VitePWA({
      // A plain same-origin script registers the worker (no inline script: the CSP has script-src 'self').
      injectRegister: 'script',
      // No skipWaiting: a new version takes over once every tab of the old one is closed, so a page never
      // mixes chunks of two builds (the old precache is gone once the new worker activates).
      registerType: 'prompt',
      // The icons and favicon come in through globPatterns below (the plugin would add the icons twice).
      includeManifestIcons: false,
      manifest: {
        name: 'webpop',
        short_name: 'webpop',
        description: 'POP3 webmail: your mail client runs in the browser and keeps your mail on this device.',
        start_url: './',
        scope: './',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#2457c5',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
      },
      workbox: {
        // Everything the app can load, German and Russian and the MIME worker included; never source maps.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        cleanupOutdatedCaches: true,
        // A click on a new-mail notification shown through the worker (public/notification-click.js).
        importScripts: ['notification-click.js'],
        navigateFallback: 'index.html',
        // The bridge's own endpoints are never answered from the cache.
        navigateFallbackDenylist: [/\/api\//, /\/pop3$/, /\/(healthz|livez|readyz|metrics)$/],
      },
    }),
    sanitizerPageBare,
  ],
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
    // The app, and the page of the frame that sanitizes message HTML (src/sanitizer/main.ts).
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./index.html', import.meta.url)),
        sanitizer: fileURLToPath(new URL('./sanitizer.html', import.meta.url)),
      },
    },
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
