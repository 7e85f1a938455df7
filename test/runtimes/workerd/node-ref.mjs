// The same model in Node (the package's default entry, single thread): prints the outputs for
// the inputs given as a JSON argument, for the workerd test to compare with.
import fs from 'node:fs';
import mx from 'gluon-rnn-wasm';

await mx.ready({ threads: 1 });
const net = new mx.gluon.nn.Sequential();
net.nameScope(() => {
  net.add(new mx.gluon.nn.Embedding(30, 10));
  net.add(new mx.gluon.rnn.LSTM(20));
  net.add(new mx.gluon.nn.Dense(5, { flatten: false }));
});
net.loadParameters(new Uint8Array(fs.readFileSync(new URL('./model.params', import.meta.url))));
const inputs = JSON.parse(process.argv[2]);
const outs = inputs.map((ids) => {
  const out = net.forward(mx.nd.array(ids));
  return { shape: out.shape, data: Array.from(out.toFloat32Array()) };
});
console.log(`NODE-REF ${JSON.stringify(outs)}`);
