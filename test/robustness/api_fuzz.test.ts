// The API around mx.nd under seeded random arguments: NDArray methods; the classes of
// mx.gluon.nn, mx.gluon.rnn, mx.gluon.loss, mx.init, mx.optimizer and mx.lr_scheduler made with
// random arguments, then their public methods called the same way (forward on random arrays,
// initialize, unroll, a Trainer's step after a recorded backward, a schedule's rate at a random
// count). A call that fails throws an Error of our own, never a wasm trap, a JavaScript
// TypeError from deep inside or a loop without end, and the backend still computes after it.
// API_FUZZ_TRACE=<file> appends each call's seed and label to the file (a hang prints nothing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import {
  expectBackendWorks,
  fuzzSeeds,
  generator,
  randomArray,
  randomOptions,
  uncheckedMessage,
  WRONG,
} from './fuzz_args.js';

// Methods that write files (save, export, saveStates, ...) get random strings as paths: they
// write into a folder of the test's own, removed afterwards.
const home = process.cwd();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'api-fuzz-'));

beforeAll(async () => {
  await ready({ threads: 1 });
  process.chdir(scratch);
});
afterAll(() => {
  process.chdir(home);
  fs.rmSync(scratch, { recursive: true, force: true });
});

type Gen = ReturnType<typeof generator>;
type Ctor = new (...a: unknown[]) => object;

/** Option keys of the classes' constructors and methods, beside the operators' (randomOptions). */
const CLASS_KEYS = [
  'inUnits',
  'inChannels',
  'activation',
  'useBias',
  'weightInitializer',
  'prefix',
  'layout',
  'numLayers',
  'dropout',
  'bidirectional',
  'inputSize',
  'batchAxis',
  'weight',
  'fromSigmoid',
  'sparseLabel',
  'learningRate',
  'wd',
  'rescaleGrad',
  'clipGradient',
  'beta1',
  'centered',
  'factor',
  'stopFactorLr',
  'baseLr',
  'warmupSteps',
  'warmupMode',
  'maxUpdate',
  'pwr',
  'magnitude',
  'rndType',
  'forgetBias',
  'channels',
  'kernelSize',
  'strides',
  'poolSize',
  'alpha',
  'inputDim',
  'outputDim',
  'rate',
  'forceReinit',
  'init',
  'mergeOutputs',
  'validLength',
];
/** Values that suit many of those keys. */
const CLASS_GOOD: unknown[] = [
  0,
  1,
  2,
  3,
  0.5,
  1e-3,
  [2],
  [1, 1],
  'relu',
  'tanh',
  'NTC',
  'TNC',
  'zeros',
  'uniform',
  'linear',
  true,
  false,
];

/**
 * The public methods of the package's classes: declared in ts/ without `private`, `protected`
 * or an `@internal` tag, and not named with a leading underscore. Prototypes hold the others
 * too, and those take what the package hands them, not a user's arguments.
 */
function publicMethods(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts'))
        collect(ts.createSourceFile(p, fs.readFileSync(p, 'utf8'), ts.ScriptTarget.ES2022, true));
    }
  };
  const collect = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name)) {
      const hidden = node.modifiers?.some(
        (m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword,
      );
      const internal = ts.getJSDocTags(node).some((t) => t.tagName.text === 'internal');
      if (!hidden && !internal && !node.name.text.startsWith('_')) names.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  walk(path.resolve(__dirname, '../../ts'));
  return names;
}

/** Random arguments: arrays of random shapes (zeros, NaN and infinities included), options, wrong values. */
function argMaker(g: Gen) {
  const options = (): Record<string, unknown> => {
    const o = randomOptions(g);
    for (let i = g.pick([0, 1, 2]); i > 0; i--)
      o[g.pick(CLASS_KEYS)] = g.next() < 0.4 ? g.pick(WRONG) : g.pick(CLASS_GOOD);
    return o;
  };
  const array = (shape?: number[]): NDArray =>
    randomArray(g, shape ?? Array.from({ length: g.pick([0, 1, 2, 3, 4]) }, () => g.pick([0, 1, 2, 3, 5])));
  const small = (): NDArray => array(Array.from({ length: g.pick([2, 3]) }, () => g.pick([1, 2, 3])));
  const arg = (): unknown => {
    const r = g.next();
    if (r < 0.45) return g.next() < 0.5 ? array() : small();
    if (r < 0.65) return options();
    if (r < 0.8) return g.pick(WRONG);
    if (r < 0.9) return g.pick(CLASS_GOOD);
    return [array(), array()];
  };
  const args = (): unknown[] => Array.from({ length: g.pick([0, 1, 2, 3]) }, arg);
  return { options, array, small, args };
}

/** The classes to make: every class of these namespaces. */
function classes(): [string, Ctor][] {
  const out: [string, Ctor][] = [];
  const spaces: [string, object][] = [
    ['gluon', mx.gluon],
    ['nn', mx.gluon.nn],
    ['rnn', mx.gluon.rnn],
    ['contrib.rnn', mx.gluon.contrib.rnn],
    ['loss', mx.gluon.loss],
    ['init', mx.init],
    ['optimizer', mx.optimizer],
    ['lr_scheduler', mx.lr_scheduler],
  ];
  for (const [name, ns] of spaces)
    for (const [k, v] of Object.entries(ns))
      if (typeof v === 'function' && /^[A-Z]/.test(k)) out.push([`${name}.${k}`, v as Ctor]);
  expect(out.length).toBeGreaterThan(60);
  return out;
}

/** The public methods `obj` has, from its prototype chain. */
function methodsOf(obj: object, pub: Set<string>): string[] {
  const out: string[] = [];
  for (let p = Object.getPrototypeOf(obj); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const k of Object.getOwnPropertyNames(p))
      if (pub.has(k) && typeof Object.getOwnPropertyDescriptor(p, k)?.value === 'function') out.push(k);
  return out;
}

describe('the API around mx.nd under random arguments', () => {
  const pub = publicMethods();
  for (const seed of fuzzSeeds('API_FUZZ_SEEDS')) {
    it(`seed ${seed}: failures are our own Errors and the backend keeps working`, () => {
      const g = generator(seed);
      const a = argMaker(g);
      const made = classes();
      const ndMethods = methodsOf(mx.nd.zeros([1]), pub).filter((k) => k !== 'backward');
      const unchecked: string[] = [];
      let failed = 0;
      const attempt = (label: string, f: () => unknown): unknown => {
        if (process.env.API_FUZZ_TRACE) fs.appendFileSync(process.env.API_FUZZ_TRACE, `${seed} ${label}\n`);
        try {
          const out = f();
          for (const o of Array.isArray(out) ? out.flat(2) : [out]) if (o instanceof mx.nd.NDArray) o.toFloat32Array();
          return out;
        } catch (e) {
          failed++;
          const m = uncheckedMessage(e);
          if (m !== null) unchecked.push(`${label}: ${m}`);
          return undefined;
        } finally {
          expectBackendWorks();
        }
      };
      const call = (obj: object, k: string, args: unknown[]) =>
        (obj as Record<string, (...b: unknown[]) => unknown>)[k]?.(...args);
      for (let i = 0; i < 300; i++) {
        if (g.next() < 0.35) {
          const x = g.next() < 0.5 ? a.array() : a.small();
          const k = g.pick(ndMethods);
          attempt(`NDArray.${k}`, () => call(x, k, a.args()));
          continue;
        }
        const [name, C] = g.pick(made);
        const obj = attempt(
          `new ${name}`,
          () => new C(...(g.next() < 0.5 ? a.args() : [g.pick([1, 2, 3]), a.options()])),
        );
        if (typeof obj !== 'object' || obj === null) continue;
        const own = methodsOf(obj, pub).filter((k) => k !== 'hybridForward');
        for (let j = g.pick([1, 2, 3, 4]); j > 0 && own.length > 0; j--) {
          const r = g.next();
          // forward on arrays that may fit; a schedule's rate at a plausible count; any method at random
          if (r < 0.3 && own.includes('forward')) attempt(`${name}.forward`, () => call(obj, 'forward', [a.small()]));
          else if (r < 0.4 && own.includes('initialize'))
            attempt(`${name}.initialize`, () => call(obj, 'initialize', []));
          else if (r < 0.5 && name.startsWith('lr_scheduler'))
            attempt(`${name}.call`, () => call(obj, 'call', [g.pick([0, 1, 5, 100, 2 ** 40, 2 ** 52])]));
          else {
            const k = g.pick(own);
            attempt(`${name}.${k}`, () => call(obj, k, a.args()));
          }
        }
        if (obj instanceof mx.gluon.Block && g.next() < 0.3) {
          const params = obj.collectParams();
          if ([...params.keys()].length === 0) continue;
          const trainer = attempt(
            `Trainer(${name})`,
            () => new mx.gluon.Trainer(params, g.pick(['sgd', 'adam', 'nag', 'rmsprop', 'adagrad', 'x']), a.options()),
          );
          if (!(trainer instanceof mx.gluon.Trainer)) continue;
          const x = a.small();
          attempt(`${name} backward`, () =>
            mx.autograd.record(() => {
              const y = call(obj, 'forward', [x]);
              (Array.isArray(y) ? (y[0] as NDArray) : (y as NDArray)).sum().backward();
            }),
          );
          attempt('Trainer.step', () => trainer.step(g.pick([1, 2, 0, -1, Number.NaN]) as number));
        }
      }
      expect(unchecked).toEqual([]);
      expect(failed).toBeGreaterThan(100); // the generator does reach the checks
    });
  }
});
