// After tsc and copy-wasm: the package's entries as single files. dist/ holds one ESM file per
// source module (~85), and loading that graph is most of the time to a first result: ~35 ms of
// module resolution in Node, and a waterfall of requests in a browser that loads the package
// unbundled (~0.5 s in headless Chromium on localhost; bench/startup.mjs). The "exports" of
// package.json point at these bundles and its "files" ship them with the declarations; the
// per-module .js files stay in dist/ for the repository's own tests and benches only.
//   dist/backend/bundle.js       the main entry (dist/index.js and everything it imports)
//   dist/backend/bundle_edge.js  the workerd entry (dist/edge.js), importing bundle.js
// They sit in dist/backend/ beside loader.js and pool.js, whose literal
// `new URL('./generated/...', import.meta.url)` and `new URL('./pool_worker.js', ...)` must
// resolve from the bundle as from the module they came from. The wasm-bindgen glue of each
// build stays a file of its own (the loader imports only the build that will run), and so do
// the .wasm files. The bundles are minified (whitespace and local names; class and function
// names kept): the parse of the bundle is the largest part of `import` in Node.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OUT = path.join(DIST, 'backend');

/** `file` as an import specifier relative to the bundles' folder. */
function fromOut(file) {
  const rel = path.relative(OUT, file).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

const external = {
  name: 'gluon-external',
  setup(build) {
    // The glue modules and the .wasm files: left as imports, re-pointed from the bundle.
    build.onResolve({ filter: /\/generated\/[\w-]+\/gluon_wasm(\.js|_bg\.wasm)$/ }, (args) => ({
      path: fromOut(path.resolve(args.resolveDir, args.path)),
      external: true,
    }));
    // The edge entry re-uses the main bundle instead of carrying a second copy of the package.
    build.onResolve({ filter: /^\.\/index\.js$/ }, (args) =>
      path.resolve(args.resolveDir) === path.resolve(DIST) && args.importer.endsWith(`${path.sep}edge.js`)
        ? { path: './bundle.js', external: true }
        : undefined,
    );
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  // Whitespace and local names minified: the bundle is parsed on every start (V8 parses
  // ~490 KB as written in ~13 ms in Node 20; minified, ~290 KB, ~2 ms less: bench/startup.mjs).
  // Syntax is left as written. The source map leads back to ts/.
  minifyWhitespace: true,
  minifyIdentifiers: true,
  // Class and function names are API (error names, `describe()` in messages): renaming
  // must not change them.
  keepNames: true,
  sourcemap: 'linked',
  sourcesContent: false, // as tsc's maps: they point into ts/, which the package does not ship
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [external],
};

await esbuild.build({ ...common, entryPoints: [path.join(DIST, 'index.js')], outfile: path.join(OUT, 'bundle.js') });
await esbuild.build({
  ...common,
  entryPoints: [path.join(DIST, 'edge.js')],
  outfile: path.join(OUT, 'bundle_edge.js'),
});
console.log('bundle: dist/backend/bundle.js, dist/backend/bundle_edge.js');
