import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built by `npm run build` (vite build apps/web) into dist/web, which the hub serves at `/`.
// Vite 8 compiles TSX itself with Oxc; React 19's automatic JSX runtime needs no plugin.
export default defineConfig({
  base: '/',
  // Only `import type` reaches it (declarations only), but the alias keeps the name resolvable like tsconfig's paths.
  resolve: { alias: { '@hub/contracts': fileURLToPath(new URL('../../libs/contracts/src', import.meta.url)) } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    // No inline scripts or styles: the hub's Content-Security-Policy allows only same-origin files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      onwarn(warning, warn) {
        // react-router marks its modules "use client" for server components; meaningless in a browser bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    // `npm run web:dev`: the hub runs on 3000; the dev server proxies the API and the sockets to it.
    proxy: {
      '/graphql': { target: 'http://127.0.0.1:3000', ws: true },
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
      '/meetings': 'http://127.0.0.1:3000',
      '/calendar': 'http://127.0.0.1:3000',
      '/reports': 'http://127.0.0.1:3000',
    },
  },
});
