// mx.gluon.rnn

export { HybridRecurrentCell, RecurrentCell, type StateInfo } from './base_cell.js';
export { GRUCell, LSTMCell, RNNCell } from './basic_cells.js';
export { BidirectionalCell, HybridSequentialRNNCell, SequentialRNNCell } from './container_cells.js';
export { DropoutCell, ModifierCell, ResidualCell, ZoneoutCell } from './modifier_cells.js';
export { RecurrentStream, type RecurrentStreamOptions } from './recurrent_stream.js';
export { GRU, LSTM, RNN } from './rnn_layer.js';
