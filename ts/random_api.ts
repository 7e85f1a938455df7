// `mx.random`: what a user calls of the package's random generator (ts/random.ts), and only that:
// its internals (the draws a Parameter owes until read, the fills' JavaScript and wasm paths)
// stay out of the namespace.

export { seed } from './random.js';
