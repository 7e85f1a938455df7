// Bundles main.mjs (and the package it imports) with webpack 5's Node API into dist/, as an
// app would, plus a dist/index.html without the import map. The CLI is not used: webpack-cli 7
// needs Node 22, and the harness runs on the system Node 20.
//   node webpack-build.mjs <folder that has node_modules/webpack>
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const webpack = createRequire(path.join(process.argv[2], 'node_modules', 'x.js'))('webpack');
const dist = path.resolve('dist');
const compiler = webpack({
  mode: 'production',
  context: process.cwd(),
  entry: './main.mjs',
  target: 'web',
  devtool: false,
  performance: { hints: false },
  output: { path: dist, filename: 'main.js', clean: true },
});
compiler.run((err, stats) => {
  compiler.close(() => {});
  if (err || stats.hasErrors()) {
    console.error(err ? String(err.stack ?? err) : stats.toString('errors-only'));
    process.exit(1);
  }
  const html = fs
    .readFileSync('index.html', 'utf8')
    .replace(/<script type="importmap">[\s\S]*?<\/script>\s*/, '')
    .replace('<script type="module" src="./main.mjs"></script>', '<script src="./main.js"></script>');
  fs.writeFileSync(path.join(dist, 'index.html'), html);
  console.log(fs.readdirSync(dist).join('\n'));
});
