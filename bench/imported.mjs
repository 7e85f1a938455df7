// An imported model beside the same model built in TypeScript: a 2-layer LSTM (+ Dense) is
// built, exported (HybridBlock.export: MXNet's -symbol.json and .params) and imported back
// with SymbolBlock.imports; both run the same inputs. Prints the median time per call of each
// (the median over rounds of each round's median; the two alternate within a round) and the
// ratio (goal: the imported graph within 5% of the built model).
// Run: `npm run bench` (part of it) or `node bench/imported.mjs [rounds]`.
import mx from '../dist/index.js';
import { median, timeCalls } from './stats.mjs';

class LstmModel extends mx.gluon.HybridBlock {
  constructor(hidden, input, out) {
    super({ prefix: 'lstmmodel0_' });
    this.nameScope(() => {
      this.lstm = this.registerChild(new mx.gluon.rnn.LSTM(hidden, { numLayers: 2, inputSize: input }), 'lstm');
      this.dense = this.registerChild(new mx.gluon.nn.Dense(out, { flatten: false, inUnits: hidden }), 'dense');
    });
  }
  hybridForward(_F, x) {
    return this.dense.forward(this.lstm.forward(x));
  }
}

export async function runImportedBench(rounds = 7) {
  await mx.ready();
  const configs = [
    { T: 35, N: 16, C: 128, H: 256, O: 128 },
    { T: 100, N: 1, C: 64, H: 128, O: 32 },
  ];
  console.log('\nImported model (SymbolBlock.imports of an export) beside the same model built in TypeScript');
  console.log('| model (T, N, C -> H x2 -> O) | built ms | imported ms | imported / built | max |diff| |');
  console.log('|---|---|---|---|---|');
  const ratios = [];
  for (const { T, N, C, H, O } of configs) {
    mx.random.seed(7);
    const built = new LstmModel(H, C, O);
    built.initialize(new mx.init.Uniform(0.1));
    const x = mx.nd.random.uniform(-1, 1, [T, N, C]);
    const want = built.forward(x);
    const { symbol, params } = built.export();
    const imported = mx.gluon.SymbolBlock.imports(symbol, ['data'], params);
    const got = imported.forward(x);
    let diff = 0;
    for (let i = 0; i < want.size; i++) diff = Math.max(diff, Math.abs(want.data[i] - got.data[i]));
    const a = [];
    const b = [];
    for (let r = 0; r < rounds; r++) {
      a.push(median(timeCalls(() => built.forward(x), 150)));
      b.push(median(timeCalls(() => imported.forward(x), 150)));
    }
    const [ma, mb] = [median(a), median(b)];
    ratios.push(mb / ma);
    console.log(
      `| (${T}, ${N}, ${C}) -> ${H} x2 -> ${O} | ${ma.toFixed(3)} | ${mb.toFixed(3)} | ${(mb / ma).toFixed(3)} | ${diff.toExponential(1)} |`,
    );
    built.dispose();
    imported.dispose();
  }
  return ratios;
}

if (import.meta.url === `file://${process.argv[1]}`) await runImportedBench(Number(process.argv[2] ?? 7));
