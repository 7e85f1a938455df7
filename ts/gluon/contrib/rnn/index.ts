// mx.gluon.contrib.rnn

export { LSTMPCell } from './rnn_cell.js';
