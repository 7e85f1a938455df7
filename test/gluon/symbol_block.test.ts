// SymbolBlock.imports against MXNet 1.9.1: graphs exported by MXNet
// (test/fixtures/mxnet_symbol/<case>-symbol.json + -0000.params, written by
// test/fixtures/gen_symbol_fixtures.py) and the published relay-bench graphs
// (test/fixtures/public-params/relay-bench-*), run here and compared with what MXNet's own
// SymbolBlock.imports computed (test/fixtures/mxnet_symbol/<case>.json).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { SymbolBlock } from '../../ts/gluon/index.js';
import mx, { ready } from '../../ts/index.js';
import { loadNDArrayFile } from '../../ts/io/params.js';
import { NDArray } from '../../ts/ndarray/ndarray.js';
import { mxnetLoadCheck, mxnetPython } from '../helpers/mxnet_python.js';
import { expectClose, type Tensor, toNd } from './helpers.js';

beforeAll(async () => {
  await ready();
});

interface SymbolFixture {
  case: string;
  description: string;
  input_names: string[];
  inputs: Tensor[];
  outputs: Tensor[];
}

const DIR = new URL('../fixtures/mxnet_symbol/', import.meta.url);
const PUBLIC = new URL('../fixtures/public-params/', import.meta.url);

function golden(name: string): SymbolFixture {
  return JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8'));
}

function outputsOf(r: NDArray | NDArray[]): NDArray[] {
  return r instanceof NDArray ? [r] : r;
}

function check(net: SymbolBlock, f: SymbolFixture): void {
  const outs = outputsOf(net.forward(...f.inputs.map(toNd)));
  expect(outs.length, `${f.case}: number of outputs`).toBe(f.outputs.length);
  outs.forEach((o, i) => {
    expectClose(o, f.outputs[i] as Tensor, 1e-5, `${f.case} output ${i}`);
  });
}

const EXPORTED = [
  'lm_lstm2',
  'bigru_classifier',
  'bilstm_classifier',
  'unrolled_cells',
  'foreach_lstm_cell',
  'lstm_projection',
  'two_inputs',
  'two_outputs',
  'conv_bilstm_tagger',
  'attention_pool',
];

describe('SymbolBlock.imports: models exported by MXNet 1.9.1', () => {
  for (const name of EXPORTED) {
    it(`${name} (mxnet_symbol/${name}.json) from paths`, () => {
      const f = golden(name);
      const net = SymbolBlock.imports(
        fileURLToPath(new URL(`${name}-symbol.json`, DIR)),
        f.input_names,
        fileURLToPath(new URL(`${name}-0000.params`, DIR)),
      );
      check(net, f);
      // a second call reuses the cached constant nodes and kernels
      check(net, f);
    });
  }

  it('lm_lstm2 from JSON text and bytes; collectParams names and repr as in MXNet', () => {
    const f = golden('lm_lstm2');
    const text = readFileSync(new URL('lm_lstm2-symbol.json', DIR), 'utf8');
    const bytes = new Uint8Array(readFileSync(new URL('lm_lstm2-0000.params', DIR)));
    const net = SymbolBlock.imports(text, 'data', { params: bytes });
    check(net, f);
    // MXNet 1.9.1: list(SymbolBlock.imports(...).collect_params().keys()) and repr(net)
    expect([...net.collectParams().keys()]).toEqual([
      'languagemodel0_embedding0_weight',
      'languagemodel0_lstm0_l0_i2h_weight',
      'languagemodel0_lstm0_l0_h2h_weight',
      'languagemodel0_lstm0_l1_i2h_weight',
      'languagemodel0_lstm0_l1_h2h_weight',
      'languagemodel0_lstm0_l0_i2h_bias',
      'languagemodel0_lstm0_l0_h2h_bias',
      'languagemodel0_lstm0_l1_i2h_bias',
      'languagemodel0_lstm0_l1_h2h_bias',
      'languagemodel0_dense0_weight',
      'languagemodel0_dense0_bias',
    ]);
    expect(String(net)).toBe('SymbolBlock(\n<Symbol languagemodel0_dense0_fwd> : 1 -> 1\n)');
    expect(String(SymbolBlock.imports(readFileSync(new URL('two_outputs-symbol.json', DIR), 'utf8'), 'data'))).toBe(
      'SymbolBlock(\n<Symbol group [twooutputs0_log_softmax0, twooutputs0__minusscalar0]> : 1 -> 2\n)',
    );
  });

  it('saveParameters writes the names without their common prefix (as MXNet); they load back with that prefix', () => {
    const f = golden('two_outputs');
    const text = readFileSync(new URL('two_outputs-symbol.json', DIR), 'utf8');
    const bytes = new Uint8Array(readFileSync(new URL('two_outputs-0000.params', DIR)));
    const net = SymbolBlock.imports(text, ['data'], bytes);
    const saved = net.saveParameters();
    const again = new SymbolBlock(text, ['data']);
    expect([...again._collectParamsWithPrefix().keys()]).toEqual([
      'lstm0_l0_i2h_weight',
      'lstm0_l0_h2h_weight',
      'lstm0_l0_i2h_bias',
      'lstm0_l0_h2h_bias',
      'dense0_weight',
      'dense0_bias',
    ]);
    // As in MXNet 1.9.1, load_parameters takes the legacy path with restore prefix '' and
    // misses the stripped names; ParameterDict.load with the prefix restores them.
    expect(() => again.loadParameters(saved)).toThrow(/Parameter 'twooutputs0_lstm0_l0_i2h_weight' is missing/);
    again.collectParams().load(saved, { restorePrefix: 'twooutputs0_' });
    check(again, f);
  });
});

describe('SymbolBlock keeps nodes that depend only on parameters until a parameter changes', () => {
  it('two_outputs: setData after a forward changes the next output (packed RNN weights rebuilt)', () => {
    const f = golden('two_outputs');
    const text = readFileSync(new URL('two_outputs-symbol.json', DIR), 'utf8');
    const bytes = new Uint8Array(readFileSync(new URL('two_outputs-0000.params', DIR)));
    const x = toNd(f.inputs[0] as Tensor);
    const change = (n: SymbolBlock) => {
      const p = n.collectParams().get('twooutputs0_lstm0_l0_h2h_weight');
      p.setData(
        toNd({
          shape: p.shape,
          data: p
            .data()
            .toArray()
            .flat(3)
            .map((v) => (v as number) * 0.5),
        }),
      );
    };
    const net = SymbolBlock.imports(text, 'data', bytes);
    check(net, f);
    change(net);
    const after = outputsOf(net.forward(x));
    const fresh = SymbolBlock.imports(text, 'data', bytes);
    change(fresh);
    const want = outputsOf(fresh.forward(x));
    after.forEach((o, i) => {
      expect(Array.from(o.data)).toEqual(Array.from((want[i] as NDArray).data));
    });
    expect(Array.from((after[0] as NDArray).data)).not.toEqual((f.outputs[0] as Tensor).data);
  });
});

describe('SymbolBlock after an optimizer step (the parameters change in place)', () => {
  it('lm_lstm2: the next forward uses the updated weights in its RNN and FullyConnected nodes', () => {
    const f = golden('lm_lstm2');
    const text = readFileSync(new URL('lm_lstm2-symbol.json', DIR), 'utf8');
    const bytes = new Uint8Array(readFileSync(new URL('lm_lstm2-0000.params', DIR)));
    const x = toNd(f.inputs[0] as Tensor);
    const net = SymbolBlock.imports(text, f.input_names, bytes);
    check(net, f);
    const trainer = new mx.gluon.Trainer(net.collectParams(), 'sgd', { learning_rate: 0.1 });
    mx.autograd.record(() => {
      (outputsOf(net.forward(x))[0] as NDArray).sum().backward();
    });
    trainer.step(1);
    const after = outputsOf(net.forward(x));
    // A fresh block from the updated parameters packs them anew.
    const want = outputsOf(SymbolBlock.imports(text, f.input_names, net.export().params).forward(x));
    after.forEach((o, i) => {
      expect(Array.from(o.data)).toEqual(Array.from((want[i] as NDArray).data));
    });
    expect(Array.from((after[0] as NDArray).data)).not.toEqual(Array.from((f.outputs[0] as Tensor).data));
  });

  it('a FullyConnected node gives the same bits on every call and as nn.Dense', () => {
    const dense = new mx.gluon.nn.Dense(7, { inUnits: 5, prefix: 'fc_' });
    dense.initialize();
    const x = mx.nd.random.uniform(-1, 1, [2, 5]);
    const y = Array.from(dense.forward(x).data);
    const { symbol, params } = dense.export();
    const net = SymbolBlock.imports(symbol, 'data', params);
    for (let i = 0; i < 3; i++) expect(Array.from((net.forward(x) as NDArray).data)).toEqual(y);
  });
});

describe('SymbolBlock without a parameter file: initialize() and deferred shapes', () => {
  for (const name of EXPORTED) {
    it(`${name}: the first forward infers every parameter's shape (as in the file) and initialises it`, () => {
      const f = golden(name);
      const net = SymbolBlock.imports(readFileSync(new URL(`${name}-symbol.json`, DIR), 'utf8'), f.input_names);
      net.initialize();
      const outs = outputsOf(net.forward(...f.inputs.map(toNd)));
      expect(outs.map((o) => o.shape)).toEqual(f.outputs.map((o) => o.shape));
      const file = loadNDArrayFile(new Uint8Array(readFileSync(new URL(`${name}-0000.params`, DIR))));
      const want = new Map((file.names as string[]).map((k, i) => [k.slice(4), file.arrays[i]?.shape]));
      for (const [k, p] of net.collectParams().entries()) expect(p.shape, k).toEqual(want.get(k));
    });
  }
});

describe('SymbolBlock.imports: the published relay-bench graphs (MXNet 1.3.1 export, _foreach)', () => {
  for (const mode of ['rnn', 'gru', 'lstm']) {
    const name = `relay-bench-${mode}_i128_h128`;
    it(`${name} (mxnet_symbol/${name}.json)`, () => {
      const f = golden(name);
      const net = SymbolBlock.imports(
        fileURLToPath(new URL(`${name}-symbol.json`, PUBLIC)),
        f.input_names,
        fileURLToPath(new URL(`${name}-0001.params`, PUBLIC)),
      );
      check(net, f);
    });
  }
});

/** A small symbol file of `nodes` (one output each), as MXNet 1.9.1 writes one. */
function graphJson(nodes: object[], heads: number[][] = [[nodes.length - 1, 0, 0]]): string {
  return JSON.stringify({
    nodes,
    arg_nodes: nodes.flatMap((n, i) => ((n as { op: string }).op === 'null' ? [i] : [])),
    node_row_ptr: Array.from({ length: nodes.length + 1 }, (_v, i) => i),
    heads,
    attrs: { mxnet_version: ['int', 10901] },
  });
}

/** A variable node of a graphJson file. */
const variable = (name: string) => ({ op: 'null', name, inputs: [] });

describe('SymbolBlock errors', () => {
  const text = () => readFileSync(new URL('two_outputs-symbol.json', DIR), 'utf8');

  it('an unsupported operator throws at imports, naming the operator, the node and the supported list', () => {
    const g = JSON.parse(text());
    const node = g.nodes.find((n: { op: string }) => n.op === 'log_softmax');
    node.op = 'Correlation';
    expect(() => SymbolBlock.imports(JSON.stringify(g), ['data'])).toThrow(
      /operator 'Correlation' \(node 'twooutputs0_log_softmax0'\) is not supported; supported operators: .*FullyConnected.*RNN/,
    );
  });

  it('an unsupported operator inside a _foreach subgraph throws too', () => {
    const g = JSON.parse(readFileSync(new URL('relay-bench-rnn_i128_h128-symbol.json', PUBLIC), 'utf8'));
    const sub = g.nodes.at(-1).subgraphs[0];
    const node = sub.nodes.find((n: { op: string }) => n.op !== 'null');
    node.op = 'MysteryOp';
    expect(() => SymbolBlock.imports(JSON.stringify(g), ['data0', 'data1'])).toThrow(
      new RegExp(`operator 'MysteryOp' \\(node '${node.name}'\\) is not supported`),
    );
  });

  it('an input name that is not a variable of the graph throws, listing the variables', () => {
    expect(() => SymbolBlock.imports(text(), ['x'])).toThrow(
      /input name 'x' is not a variable of the graph; its variables are: data, twooutputs0_lstm0_l0_i2h_weight/,
    );
  });

  it('the wrong number of inputs at forward throws', () => {
    const bytes = new Uint8Array(readFileSync(new URL('two_outputs-0000.params', DIR)));
    const net = SymbolBlock.imports(text(), ['data'], bytes);
    const x = toNd(golden('two_outputs').inputs[0] as Tensor);
    expect(() => net.forward(x, x)).toThrow(/expected 1 input\(s\) \(data\), got 2/);
  });

  it('a parameter the file lacks throws unless allowMissing', () => {
    const g = JSON.parse(text());
    g.nodes.push({ op: 'null', name: 'extra_weight', inputs: [] });
    g.nodes.push({
      op: 'elemwise_add',
      name: 'plus',
      attrs: {},
      inputs: [
        [g.nodes.length - 2, 0, 0],
        [g.nodes.length - 1, 0, 0],
      ],
    });
    g.heads.push([g.nodes.length - 1, 0, 0]);
    const bytes = new Uint8Array(readFileSync(new URL('two_outputs-0000.params', DIR)));
    expect(() => SymbolBlock.imports(JSON.stringify(g), ['data'], bytes)).toThrow(/extra_weight/);
    expect(() => SymbolBlock.imports(JSON.stringify(g), ['data'], { params: bytes, allowMissing: true })).not.toThrow();
  });

  it("pre-0.9 files' `param` key reads as `attrs` (lm_lstm2 rewritten that way)", () => {
    const f = golden('lm_lstm2');
    const g = JSON.parse(readFileSync(new URL('lm_lstm2-symbol.json', DIR), 'utf8'));
    for (const n of g.nodes) {
      if (n.attrs === undefined) continue;
      n.param = n.attrs;
      delete n.attrs;
    }
    const bytes = new Uint8Array(readFileSync(new URL('lm_lstm2-0000.params', DIR)));
    check(SymbolBlock.imports(JSON.stringify(g), 'data', bytes), f);
  });

  it('a numeric attribute value is refused (MXNet reads strings only)', () => {
    const g = JSON.parse(text());
    g.nodes.find((n: { op: string }) => n.op === 'RNN').attrs.state_size = 4;
    expect(() => SymbolBlock.imports(JSON.stringify(g), ['data'])).toThrow(
      /attribute 'state_size' must be a string, got 4/,
    );
  });

  it('an entry reading an output its node does not have is refused at import, in the inputs and in the heads', () => {
    const relu = (input: number[]) => ({ op: 'relu', name: 'r', attrs: {}, inputs: [input] });
    expect(() => SymbolBlock.imports(graphJson([variable('data'), relu([0, 2, 0])]), ['data'])).toThrow(
      "SymbolBlock: node 'r' reads output 2 of 'data', which has 1",
    );
    expect(() => SymbolBlock.imports(graphJson([variable('data'), relu([0, 0, 0])], [[1, 3, 0]]), ['data'])).toThrow(
      "SymbolBlock: the graph (heads) reads output 3 of 'r', which has 1",
    );
    const net = SymbolBlock.imports(graphJson([variable('data'), relu([0, 0, 0])]), ['data']);
    expect((net.forward(mx.nd.array([-1, 2])) as NDArray).toArray()).toEqual([0, 2]);
  });

  it('a node without the inputs its operator and attributes ask for (arity, no_bias, num_args) is refused at import (found by sym_fuzz)', () => {
    const [x, w] = [
      [0, 0, 0],
      [1, 0, 0],
    ];
    for (const [node, message] of [
      [
        { op: 'FullyConnected', name: 'fc', attrs: { num_hidden: '2' }, inputs: [x, w] },
        "SymbolBlock: FullyConnected node 'fc': no_bias = False asks for 3 inputs (data, weight, bias), the node has 2",
      ],
      [
        { op: 'Concat', name: 'c', attrs: { num_args: '3' }, inputs: [x, w] },
        "SymbolBlock: Concat node 'c': num_args = 3 asks for 3 inputs, the node has 2",
      ],
      [
        { op: 'elemwise_add', name: 'a', inputs: [x, w, x] },
        "SymbolBlock: elemwise_add node 'a': takes 2 inputs, the node has 3",
      ],
    ] as const) {
      const file = graphJson([variable('data'), variable('w'), node]);
      expect(() => SymbolBlock.imports(file, ['data', 'w'])).toThrow(message);
    }
    // mx.sym makes the bias a variable, as MXNet's compose does (test/symbol/compose.test.ts)
    expect(
      mx.sym.FullyConnected(mx.sym.var('data'), mx.sym.var('w'), undefined, 2, { name: 'fc' }).listArguments(),
    ).toEqual(['data', 'w', 'fc_bias']);
    expect(() => mx.sym.FullyConnected(mx.sym.var('data'), mx.sym.var('w'), mx.sym.var('b'), 2, true)).toThrow(
      /FullyConnected node 'fullyconnected\d+'\): no_bias = True asks for 2 inputs/,
    );
    expect(mx.sym.FullyConnected(mx.sym.var('data'), mx.sym.var('w'), undefined, 2, true).listArguments()).toEqual([
      'data',
      'w',
    ]);
  });

  it("SliceChannel's num_outputs outside 1 to 2^20 is refused at import and by sym.split (2^40 parts of an empty axis would exhaust the heap)", () => {
    for (const k of ['0', '-1', '1048577', '4294967296', '1099511627776']) {
      const split = { op: 'SliceChannel', name: 'sp', attrs: { num_outputs: k, axis: '0' }, inputs: [[0, 0, 0]] };
      expect(() => SymbolBlock.imports(graphJson([variable('data'), split]), ['data'])).toThrow(
        `SliceChannel node 'sp': attribute 'num_outputs' must be from 1 to 1048576, got '${k}'`,
      );
    }
    expect(() => mx.sym.split(mx.sym.var('data'), 2 ** 40)).toThrow(/'num_outputs' must be from 1 to 1048576/);
    expect(mx.sym.split(mx.sym.var('data'), 3, 0)).toHaveLength(3);
  });

  it('an unknown operator attribute is refused, naming the node', () => {
    const g = JSON.parse(text());
    g.nodes.find((n: { op: string }) => n.op === 'FullyConnected').attrs.num_hiden = '3';
    expect(() => SymbolBlock.imports(JSON.stringify(g), ['data'])).toThrow(
      /FullyConnected node 'twooutputs0_dense0_fwd': unknown attribute\(s\) 'num_hiden'/,
    );
  });
});

describe('SymbolBlock.export', () => {
  for (const name of EXPORTED) {
    it(`${name}: the graph is written byte for byte as MXNet 1.9.1 wrote it; the parameters import back`, () => {
      const f = golden(name);
      const text = readFileSync(new URL(`${name}-symbol.json`, DIR), 'utf8');
      const net = SymbolBlock.imports(text, f.input_names, fileURLToPath(new URL(`${name}-0000.params`, DIR)));
      const { symbol, params } = net.export();
      expect(symbol).toBe(text);
      check(SymbolBlock.imports(symbol, f.input_names, params), f);
    });
  }

  it('a relay-bench graph (MXNet 1.3.1) is rewritten with MXNet 1.9.1 version and runs the same', () => {
    const name = 'relay-bench-lstm_i128_h128';
    const f = golden(name);
    const net = SymbolBlock.imports(
      fileURLToPath(new URL(`${name}-symbol.json`, PUBLIC)),
      f.input_names,
      fileURLToPath(new URL(`${name}-0001.params`, PUBLIC)),
    );
    const { symbol, params } = net.export();
    expect(JSON.parse(symbol).attrs).toEqual({ mxnet_version: ['int', 10901] });
    check(SymbolBlock.imports(symbol, f.input_names, params), f);
  });

  it('keys are arg:/aux: full names in collectParams order (BatchNorm statistics are aux:)', () => {
    const name = 'conv_bilstm_tagger';
    const net = SymbolBlock.imports(
      fileURLToPath(new URL(`${name}-symbol.json`, DIR)),
      'data',
      fileURLToPath(new URL(`${name}-0000.params`, DIR)),
    );
    const keys = loadNDArrayFile(net.export().params).names as string[];
    expect(keys).toEqual(
      [...net.collectParams().keys()].map((k) => (/running_(mean|var)$/.test(k) ? `aux:${k}` : `arg:${k}`)),
    );
    expect(keys.filter((k) => k.startsWith('aux:'))).toEqual([
      'aux:convtagger0_batchnorm0_running_mean',
      'aux:convtagger0_batchnorm0_running_var',
    ]);
  });

  it('bad path and epoch arguments throw, naming them', () => {
    const net = SymbolBlock.imports(readFileSync(new URL('two_outputs-symbol.json', DIR), 'utf8'), 'data', {
      params: new Uint8Array(readFileSync(new URL('two_outputs-0000.params', DIR))),
    });
    expect(() => net.export('m', -1)).toThrow(/epoch must be an integer in \[0, 9999\], got -1/);
    expect(() => net.export({ path: 3 as unknown as string })).toThrow(/path must be a string or null, got 3/);
  });
});

describe('SymbolBlock.export loads in MXNet 1.9.1', () => {
  const found = mxnetPython();
  if ('reason' in found) console.log(`skipping the MXNet load check: ${found.reason}`);
  it.skipIf('reason' in found)(
    'MXNet imports every exported model and computes what it computes from its own export',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'symbol-export-'));
      try {
        for (const name of EXPORTED) {
          const f = golden(name);
          const net = SymbolBlock.imports(
            fileURLToPath(new URL(`${name}-symbol.json`, DIR)),
            f.input_names,
            fileURLToPath(new URL(`${name}-0000.params`, DIR)),
          );
          net.export(join(dir, name));
        }
        const res = mxnetLoadCheck((found as { python: string }).python, dir, fileURLToPath(DIR), EXPORTED);
        for (const name of EXPORTED) expect(res[name], name).toEqual([0, true, true]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
