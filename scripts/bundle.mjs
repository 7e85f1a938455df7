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
// the .wasm files. The bundles are minified (whitespace and local names; the names a user can
// read kept, see `build`): the parse of the bundle is the largest part of `import` in Node.
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

/** What both passes of `build` write: ES modules for any runtime, syntax left as written. */
const output = { format: 'esm', platform: 'neutral', target: 'es2022', legalComments: 'none', logLevel: 'warning' };

/**
 * esbuild's `keepNames` after each function declaration: `__name(f, "f");`, on a line of its
 * own in unminified output. Not the classes' `static { __name(this, "X"); }`.
 */
const FUNCTION_NAME = /^[ \t]*__name\(((?!this\b)[A-Za-z_$][\w$]*), "[^"\n]*"\);$/gm;

/**
 * esbuild's `keepNames` in a class: `static {` / `__name(this, "X");` / `}`. It redefines the
 * class's `name`, and V8 then keeps the class's properties in dictionary mode: every
 * `x instanceof X` looks `Symbol.hasInstance` up the slow way (19 against 2.2 ns, Node 20).
 */
const CLASS_NAME = /^([ \t]*)static \{\n[ \t]*__name\(this, ("[^"\n]*")\);\n[ \t]*\}$/gm;

/**
 * The class's name as a static getter of its body, on the same three lines (the first pass's
 * source map still holds): part of the class as created, so V8 keeps it in fast mode. A class
 * with its own static `name` gets no `name` property of its own, and a subclass that has none
 * gets its own as usual.
 */
const classNameGetter = (_block, indent, name) =>
  `${indent}static get name() {\n${indent}  return ${name};\n${indent}}`;

/**
 * The bindings that unminified esbuild output puts in an object or list on a line of their
 * own: its namespace objects (`name: () => binding`, as `mx.nd`), the package's own API
 * objects (`var: variable`, `uniform,`, as `mx.sym` and `mx.nd.random`) and the final
 * `export { ... }`. A superset of what a user can reach (a few internal ones too).
 */
function listedBindings(text) {
  return new Set([...text.matchAll(/^[ \t]+(?:[\w$]+: (?:\(\) => )?)?([\w$]+)(?: as [\w$]+)?,?$/gm)].map((m) => m[1]));
}

/**
 * `entry` bundled into `outfile`, in two passes. Names are API where a user can read them:
 * classes' (error messages, `describe()`, Gluon's block prefixes) and exported functions'.
 * esbuild's `keepNames` keeps them, but also those of ~350 internal functions, each by a call
 * at the top level. Dropping those calls takes ~1.5 ms off the bundle's compile and top-level
 * run in Node 22 and 24, ~1 ms in Node 20 (25 alternating rounds in one process: 14.4 -> 12.9,
 * 13.8 -> 12.3, 14.3 -> 13.3 ms; docs/performance-log.md, session 15). So the first pass
 * bundles unminified with `keepNames`, those calls are blanked (lines kept, so its inline
 * source map still holds), and the second pass minifies whitespace and local names, its
 * source map leading back to ts/ through the first pass's. Syntax is left as written.
 */
async function build(entry, outfile) {
  const first = await esbuild.build({
    ...output,
    bundle: true,
    keepNames: true,
    plugins: [external],
    entryPoints: [entry],
    outfile,
    sourcemap: 'inline',
    write: false,
  });
  const text = first.outputFiles[0].text;
  const keep = listedBindings(text);
  let dropped = 0;
  let classes = 0;
  const stripped = text
    .replace(FUNCTION_NAME, (line, binding) => {
      if (keep.has(binding)) return line;
      dropped++;
      return '';
    })
    .replace(CLASS_NAME, (...m) => {
      classes++;
      return classNameGetter(...m);
    });
  // The edge entry is a few lines over the main bundle; the main one has hundreds.
  if (entry.endsWith('index.js') && (dropped < 100 || classes < 100 || stripped.includes('__name(this,')))
    throw new Error(
      `bundle: ${outfile}: esbuild's keepNames output changed (${dropped} functions, ${classes} classes)`,
    );
  await esbuild.build({
    stdin: {
      contents: stripped,
      sourcefile: `${path.basename(outfile, '.js')}.unminified.js`,
      resolveDir: OUT,
      loader: 'js',
    },
    ...output,
    outfile,
    minifyWhitespace: true,
    minifyIdentifiers: true,
    sourcemap: 'linked',
    sourcesContent: false, // as tsc's maps: they point into ts/, which the package does not ship
  });
}

await build(path.join(DIST, 'index.js'), path.join(OUT, 'bundle.js'));
await build(path.join(DIST, 'edge.js'), path.join(OUT, 'bundle_edge.js'));
console.log('bundle: dist/backend/bundle.js, dist/backend/bundle_edge.js');
