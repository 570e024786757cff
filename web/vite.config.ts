import { defineConfig } from 'vite';

// The server embeds dist/web and serves it under a strict Content-Security-Policy
// (no inline scripts or styles), so the build must emit only external files.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    // Mantine and the router together are above Vite's default; the first page
    // stays well under its 250 KB gzipped budget (bench/ui.bench.ts measures it).
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Libraries mark modules "use client" for React Server Components; a
        // browser-only bundle has no use for the directive.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
