// mx.init: parameter initializers.

export {
  Constant,
  create,
  Initializer,
  type InitLike,
  LSTMBias,
  MSRAPrelu,
  Normal,
  One,
  Orthogonal,
  Uniform,
  Xavier,
  Zero,
} from './initializer.js';
