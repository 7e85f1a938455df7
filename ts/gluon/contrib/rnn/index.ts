// mx.gluon.contrib.rnn

export { LSTMPCell, VariationalDropoutCell } from './rnn_cell.js';
