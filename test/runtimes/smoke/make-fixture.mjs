// Builds the smoke script's fixture bundle from the MXNet 1.9.1 golden data in test/fixtures.
import fs from 'node:fs';

const dir = new URL('../../fixtures/mxnet/', import.meta.url);
const read = (f) => JSON.parse(fs.readFileSync(new URL(f, dir), 'utf8'));
const symbolDir = new URL('../../fixtures/mxnet_symbol/', import.meta.url);

export function makeFixture() {
  const lstm = read('fused_lstm_l2_bi_TNC.json');
  const seq = read('api_seq_embed_lstm_dense.json');
  return {
    mxnet: lstm.mxnet,
    lstm: {
      case: lstm.case,
      repr: lstm.repr,
      prefix: lstm.prefix,
      params: lstm.params,
      inputs: lstm.inputs,
      outputs: lstm.outputs,
    },
    seq: {
      case: seq.case,
      names: seq.names,
      inputs: seq.inputs,
      outputs: { out_ids: seq.outputs.out_ids },
      paramsFileB64: fs.readFileSync(new URL(seq.params_file, dir)).toString('base64'),
    },
    // An MXNet 1.9.1 export (gen_symbol_fixtures.py): graph text and .params bytes, as browsers get them.
    symbol: {
      ...JSON.parse(fs.readFileSync(new URL('lm_lstm2.json', symbolDir), 'utf8')),
      symbolJson: fs.readFileSync(new URL('lm_lstm2-symbol.json', symbolDir), 'utf8'),
      paramsFileB64: fs.readFileSync(new URL('lm_lstm2-0000.params', symbolDir)).toString('base64'),
    },
  };
}
