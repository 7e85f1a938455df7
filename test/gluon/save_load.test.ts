// Block.saveParameters / loadParameters and ParameterDict.save / load over MXNet 1.9.1 files
// (fixture bin/api_seq_embed_lstm_dense.params, written by MXNet's save_parameters).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import mx, { ready } from '../../ts/index.js';
import { resetNameCounters } from '../../ts/name.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';
import { expectClose, fixture, fixtureBytes, input, out, sameBytes, seqEmbedLstmDense } from './helpers.js';

beforeAll(async () => {
  await ready();
});
beforeEach(() => resetNameCounters());

/** The model of fixture api_seq_embed_lstm_dense (docs/design/api.md's seed example). */
const build = () => seqEmbedLstmDense(30, 10, 20, 1, 5);

describe('saveParameters / loadParameters', () => {
  it("loads MXNet's file into an uninitialised net (deferred shapes filled), saves the same bytes back", () => {
    const f = fixture('api_seq_embed_lstm_dense');
    const mxBytes = fixtureBytes(f.params_file as string);
    const net = build();
    net.loadParameters(mxBytes);
    expectClose(net.forward(input(f, 'x')) as NDArray, out(f, 'out_ids'), 1e-5);
    const ours = net.saveParameters();
    expect(sameBytes(ours, mxBytes)).toBe(true);
    resetNameCounters();
    const again = build();
    again.loadParameters(ours.buffer, { allowMissing: false, ignoreExtra: false });
    expect((again.forward(input(f, 'x')) as NDArray).data).toEqual((net.forward(input(f, 'x')) as NDArray).data);
    const dir = mkdtempSync(join(tmpdir(), 'gluon-'));
    try {
      const path = join(dir, 'model.params');
      net.saveParameters(path);
      expect(sameBytes(readFileSync(path), mxBytes)).toBe(true);
      resetNameCounters();
      const fromFile = build();
      fromFile.loadParameters(path);
      expect((fromFile.forward(input(f, 'x')) as NDArray).data).toEqual((net.forward(input(f, 'x')) as NDArray).data);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => build().loadParameters(mx.nd.save({ '0.weight': mx.nd.ones([30, 10]) }))).toThrow(
      /Parameter '1._unfused.0.i2h_weight' is missing in file '<bytes>'/,
    );
  });

  it('ParameterDict.save with stripPrefix, load with restorePrefix (legacy full-name files)', () => {
    const cell = new mx.gluon.rnn.LSTMCell(4, { inputSize: 3, prefix: 'rnnmodel2_lstm0_' });
    cell.initialize();
    const raw = cell.collectParams().save({ stripPrefix: 'rnnmodel2_' });
    expect(Object.keys(mx.nd.load(raw) as Record<string, NDArray>)).toEqual([
      'lstm0_i2h_weight',
      'lstm0_h2h_weight',
      'lstm0_i2h_bias',
      'lstm0_h2h_bias',
    ]);
    const other = new mx.gluon.rnn.LSTMCell(4, { prefix: 'rnnmodel2_lstm0_' });
    other.collectParams().load(raw, { restorePrefix: 'rnnmodel2_' });
    expect(other.i2h_weight.shape).toEqual([16, 3]);
    expect(other.i2h_weight.data().data).toEqual(cell.i2h_weight.data().data);
    expect(() => cell.collectParams().save({ stripPrefix: 'xyz_' })).toThrow(/Prefix 'xyz_' is to be striped/);
    // A childless cell saves keys without '.', so its own loadParameters takes the legacy path.
    const bytes = cell.saveParameters();
    expect(Object.keys(mx.nd.load(bytes) as Record<string, NDArray>)).toEqual([
      'i2h_weight',
      'h2h_weight',
      'i2h_bias',
      'h2h_bias',
    ]);
    other.loadParameters(bytes);
    expect(other.h2h_weight.data().data).toEqual(cell.h2h_weight.data().data);
  });
});
