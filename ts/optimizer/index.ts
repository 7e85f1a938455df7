// mx.optimizer: the optimizers of python/mxnet/optimizer/optimizer.py that gluon.Trainer drives.

export {
  AdaGrad,
  type AdaGradOptions,
  Adam,
  type AdamOptions,
  create,
  NAG,
  type NAGOptions,
  Optimizer,
  type OptimizerOptions,
  type ParamMults,
  RMSProp,
  type RMSPropOptions,
  SGD,
  type SGDOptions,
} from './optimizer.js';
