// Vite's dev server for the smoke page, configured as the README says: the package is kept out
// of dependency pre-bundling (which would separate its modules from their .wasm files and
// workers), and the page is cross-origin isolated so that the threaded build can run.
export default {
  logLevel: 'warn',
  optimizeDeps: { exclude: ['gluon-rnn-wasm'] },
  server: {
    headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
  },
};
