import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // Runtime dependencies stay in node_modules: better-sqlite3 is native (rebuilt for
      // Electron by electron-builder) and @tensorflow/* load .wasm/.node files beside them.
      // tfjs-node-gpu is optional and imported dynamically by the worker only.
      externalizeDeps: { include: ['@tensorflow/tfjs-node-gpu'] },
      rolldownOptions: {
        input: {
          index: resolve(root, 'electron/main/index.ts'),
          // The trial worker, started with utilityProcess.fork(out/main/worker.js).
          worker: resolve(root, 'core/training/worker.ts'),
          // The CSV scan's worker thread (core/data/csvScanThread.ts).
          csvScanWorker: resolve(root, 'core/data/csvScanWorker.ts'),
        },
        output: { entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      // A sandboxed preload cannot be an ES module and may require only 'electron': emit one
      // self-contained CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified; ECharts alone is 1.5 MB unminified.
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') },
    },
  },
});
