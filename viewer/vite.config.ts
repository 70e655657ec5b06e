import { defineConfig, type Plugin } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Browsers refuse module scripts (and `crossorigin` requests) from file:// pages, so the bundle is one classic
 * script (IIFE, see `output.format`) and the built page loads it with a plain deferred <script>.
 */
function classicScript(): Plugin {
  return {
    name: 'oxyscope-classic-script',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: (html) => html.replace(/<script type="module" crossorigin/g, '<script defer').replace(/ crossorigin/g, ''),
  };
}

/**
 * The viewer is a static page: `base: './'` keeps every asset URL relative, so `viewer/dist` works from any
 * path, from `oxyscope view`, and opened as files. It imports the project's own readers, kernels and
 * analyses from ../src and the WASM kernels from ../build.
 */
export default defineConfig({
  root: here,
  base: './',
  // the page never needs the repo's public/ folder; keep Vite from copying anything implicit
  publicDir: false,
  build: {
    outDir: `${here}dist`,
    emptyOutDir: true,
    target: 'es2022',
    // the wasm file must stay a separate asset (fetched and compiled by streaming), never inlined as base64
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    modulePreload: false,
    cssCodeSplit: false,
    rollupOptions: { output: { format: 'iife', inlineDynamicImports: true } },
  },
  plugins: [classicScript()],
  server: { fs: { allow: [repo] } },
});
