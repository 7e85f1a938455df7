// The single-file entries that package.json exports (scripts/bundle.mjs) against the per-module
// dist/ they are built from: the same exports, the same names of classes and exported functions
// (esbuild renames clashing top-level names, e.g. the nd operator `Dropout` and the nn block
// `Dropout`, and minifies them; `.name` is what error messages and block prefixes use), the
// symbolic layers registered (a side-effect import), and only the glue of the build that runs
// loaded separately.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const file = (rel: string) => pathToFileURL(path.join(ROOT, rel)).href;

describe('bundled entries (dist/backend/bundle*.js)', () => {
  it('are what package.json exports', () => {
    expect(pkg.exports['.'].default).toBe('./dist/backend/bundle.js');
    expect(pkg.exports['.'].workerd).toBe('./dist/backend/bundle_edge.js');
    expect(pkg.exports['./edge'].default).toBe('./dist/backend/bundle_edge.js');
    expect(pkg.main).toBe('./dist/backend/bundle.js');
  });

  it('export what the per-module entry exports, with the same class names', async () => {
    expect(fs.existsSync(path.join(ROOT, 'dist/backend/bundle.js')), 'run `npm run build`').toBe(true);
    const bundled = await import(file('dist/backend/bundle.js'));
    const modules = await import(file('dist/index.js'));
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(modules).sort());
    expect(Object.keys(bundled.default).sort()).toEqual(Object.keys(modules.default).sort());
    // Every class and function a user can reach keeps its name (scripts/bundle.mjs drops only
    // the names of internal functions).
    const names = (root: object) => {
      const out: string[] = [];
      const seen = new Set<unknown>();
      const walk = (o: object, at: string) => {
        if (seen.has(o)) return;
        seen.add(o);
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'function') out.push(`${at}${k}: ${v.name}`);
          if (v !== null && typeof v === 'object') walk(v, `${at}${k}.`);
        }
      };
      walk(root, '');
      return out.sort(); // esbuild's namespace objects list their keys in another order
    };
    const expected = names(modules.default);
    expect(expected.length).toBeGreaterThan(250);
    expect(names(bundled.default)).toEqual(expected);
    await bundled.default.ready({ threads: 1 });
    // `Dropout` clashes with the nd operator of the same name: the bundle renames its binding.
    const drop = new bundled.default.gluon.nn.Dropout(0.5);
    expect(drop.constructor.name).toBe('Dropout');
    expect(drop.prefix).toMatch(/^dropout\d+_$/); // Gluon's prefix: the class name, lower-cased
    // The symbolic layers (a side-effect module) are registered: Dense exports its 'fwd' node.
    const dense = new bundled.default.gluon.nn.Dense(2, { inUnits: 3 });
    dense.initialize();
    dense.forward(bundled.default.nd.ones([1, 3]));
    expect(dense.export().symbol).toMatch(/"dense\d+_fwd"/);
  });

  it('keep their classes in V8 fast mode (a redefined `name` makes every instanceof slow)', () => {
    // %HasFastProperties is a V8 intrinsic: a child Node process with --allow-natives-syntax.
    const code = `
      const mx = (await import(${JSON.stringify(file('dist/backend/bundle.js'))})).default;
      const slow = [];
      let classes = 0;
      const seen = new Set();
      const walk = (o, at) => {
        if (seen.has(o)) return;
        seen.add(o);
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'function' && /^class\\b/.test(Function.prototype.toString.call(v))) {
            classes++;
            if (!%HasFastProperties(v)) slow.push(at + k);
          }
          if (v !== null && typeof v === 'object') walk(v, at + k + '.');
        }
      };
      walk(mx, '');
      console.log(JSON.stringify({ classes, slow }));`;
    const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', code], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    const { classes, slow } = JSON.parse(r.stdout);
    expect(classes).toBeGreaterThan(70);
    expect(slow).toEqual([]);
  });

  it('leave the glue and .wasm as separate files, and are minified', () => {
    const src = fs.readFileSync(path.join(ROOT, 'dist/backend/bundle.js'), 'utf8');
    for (const b of ['simd', 'simd-threads', 'relaxed', 'relaxed-threads']) {
      expect(src).toContain(`import("./generated/${b}/gluon_wasm.js")`);
      // The literal pattern bundlers recognise (scripts/bundle.mjs), minified.
      expect(src).toContain(`new URL("./generated/${b}/gluon_wasm_bg.wasm",import.meta.url)`);
    }
    // Minified (the parse is most of `import` in Node): no indentation, far fewer lines.
    expect(src.split('\n').length).toBeLessThan(100);
    const edge = fs.readFileSync(path.join(ROOT, 'dist/backend/bundle_edge.js'), 'utf8');
    expect(edge).toMatch(/from\s*"\.\/generated\/simd\/gluon_wasm_bg\.wasm"/);
    expect(edge).toMatch(/from\s*"\.\/bundle\.js"/);
  });
});
