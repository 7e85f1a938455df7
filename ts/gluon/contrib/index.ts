// mx.gluon.contrib

export * as rnn from './rnn/index.js';
