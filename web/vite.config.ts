import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

// The web app is built into web/dist, which the Fastify server serves (with an SPA fallback).
// In development `vite --config web/vite.config.ts` proxies /api to the server on port 3000.
export default defineConfig({
  root: webRoot,
  plugins: [
    react(),
    // The residents' portal as an installable app (issue 16): the manifest, and a service worker
    // that keeps the app shell and the portal's last answers (home, bills, meters) so the last
    // bill opens offline. Writes are never cached; readings typed offline wait in the page's queue.
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      includeAssets: ['icon.svg', 'icon-192.png', 'icon-512.png'],
      manifest: {
        name: 'Громада — мій рахунок',
        short_name: 'Громада',
        description: 'Єдиний рахунок: оплата і показники / Unified bill: pay and send readings',
        lang: 'uk',
        start_url: '/portal',
        scope: '/',
        display: 'standalone',
        background_color: '#f8f9fa',
        theme_color: '#1c4e80',
        // PNGs at the sizes installers ask for (rendered from icon.svg), and the SVG for the rest.
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        maximumFileSizeToCacheInBytes: 6 * 1024 * 1024,
        runtimeCaching: [
          {
            urlPattern: ({ url, request }) => request.method === 'GET' && /^\/api\/(session$|portal\/(home|premises\/\d+\/(bills|history))|bills\/premises\/\d+(\?|$)|metering\/premises\/\d+\/meters)/.test(url.pathname + url.search.slice(0, 1)),
            handler: 'NetworkFirst',
            options: { cacheName: 'portal-api', networkTimeoutSeconds: 4, expiration: { maxEntries: 60 } },
          },
        ],
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
