// Models shared by the io tests: each is the Gluon model an MXNet-written file came from.

import { Block } from '../../ts/gluon/block.js';
import mx from '../../ts/index.js';
import type { NDArray } from '../../ts/ndarray/ndarray.js';

const { nn, rnn } = mx.gluon;

/** The model of bin/seq_bilstm2.params (MXNet save_parameters, structural keys). */
export function seqBiLSTM(): Block {
  const net = new nn.Sequential();
  net.nameScope(() => {
    net.add(new nn.Embedding(8, 4));
    net.add(new rnn.LSTM(3, { numLayers: 2, bidirectional: true }));
    net.add(new nn.Dense(2, { flatten: false }));
  });
  return net;
}

/** fierceX/NER_BiLSTM_CRF_Chinese model.py, without the CRF (its transitions are not in the file). */
export class BiLSTM_CRF extends Block {
  static override readonly gluonName: string = 'BiLSTM_CRF';
  word_embeds!: InstanceType<typeof nn.Embedding>;
  lstm!: InstanceType<typeof rnn.LSTM>;
  hidden2tag!: InstanceType<typeof nn.Dense>;
  constructor() {
    super();
    this.nameScope(() => {
      this.word_embeds = this.registerChild(new nn.Embedding(612, 5));
      this.lstm = this.registerChild(new rnn.LSTM(2, { numLayers: 1, bidirectional: true }));
      this.hidden2tag = this.registerChild(new nn.Dense(7));
    });
  }
  /** `ids` (T, N) -> tag scores (T * N, 7). */
  override forward(ids: NDArray): NDArray {
    const [T, N] = ids.shape as [number, number];
    const lstmOut = this.lstm.forward(this.word_embeds.forward(ids) as NDArray) as NDArray; // (T, N, 4), TNC
    return this.hidden2tag.forward(lstmOut.reshape([T * N, 4])) as NDArray;
  }
}
