// Builds the renderer into dist/renderer with relative URLs (base './'), so the same files load from file:// in Electron
// and from the loopback bridge in browser mode. No plugin: Vite's built-in transform handles TSX with the automatic JSX runtime.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    // No inline <script>/<style> or data: URLs for code, so a strict CSP (default-src 'self') holds.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
